# Reference values for banner tables (issue 14), from R survey on the package's
# apistrat. Run from the repository root:
#   Rscript tests/data/reference/r/make_banner_reference.R
# It writes tests/data/reference/apistrat_banner.csv (the data the test reads)
# and tests/data/reference/banner_reference.json; the suite never needs R.
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
out <- "tests/data/reference"
data(api)
meta <- list(r = R.version.string, survey = as.character(packageVersion("survey")),
             design = "svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)")
num <- function(x) unname(as.numeric(x))
d <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)

keep <- data.frame(cds = apistrat$cds, stype = as.character(apistrat$stype),
                   awards = as.character(apistrat$awards), sch_wide = as.character(apistrat$sch.wide),
                   yr_rnd = as.character(apistrat$yr.rnd), comp_imp = as.character(apistrat$comp.imp),
                   both = as.character(apistrat$both), api00 = apistrat$api00,
                   pw = apistrat$pw, fpc = apistrat$fpc)
write.csv(keep, file.path(out, "apistrat_banner.csv"), row.names = FALSE)

# every level of a categorical row: svymean for the Total, svyby for each banner
rows <- list(awards = ~awards, sch_wide = ~sch.wide, stype = ~stype)
banners <- list(yr_rnd = ~yr.rnd, comp_imp = ~comp.imp, "comp_imp × yr_rnd" = ~comp.imp + yr.rnd)
cells <- list()
add <- function(row, banner, column, level, est, se) {
  cells[[length(cells) + 1]] <<- list(row = row, banner = banner, column = column,
                                      level = level, estimate = est, se = se)
}
for (row in names(rows)) {
  f <- rows[[row]]
  total <- svymean(f, d)
  levels <- sub(paste0("^", all.vars(f)), "", names(coef(total)))
  for (i in seq_along(levels)) add(row, "total", "Total", levels[i], num(coef(total))[i], num(SE(total))[i])
  for (banner in names(banners)) {
    by <- svyby(f, banners[[banner]], d, svymean, keep.var = TRUE)
    vars <- all.vars(banners[[banner]])
    columns <- if (length(vars) == 1) as.character(by[[1]]) else paste(by[[1]], by[[2]], sep = " · ")
    est <- as.matrix(by[, paste0(all.vars(f), levels)])
    se <- as.matrix(SE(by))
    for (j in seq_along(columns)) for (i in seq_along(levels))
      add(row, banner, columns[j], levels[i], num(est[j, i]), num(se[j, i]))
  }
}
# a numeric row's mean
m <- svymean(~api00, d)
add("api00", "total", "Total", "mean", num(coef(m)), num(SE(m)))
by <- svyby(~api00, ~yr.rnd, d, svymean)
for (j in seq_len(nrow(by))) add("api00", "yr_rnd", as.character(by$yr.rnd[j]), "mean", num(by$api00[j]), num(by$se[j]))

# arrows: each stype column against the rest of the sample, awards == "Yes"
arrows <- list()
for (level in levels(apistrat$stype)) {
  dd <- update(d, side = ifelse(stype == level, "in", "rest"))
  b <- svyby(~as.numeric(awards == "Yes"), ~side, dd, svymean, covmat = TRUE)
  ct <- svycontrast(b, c(1, -1))
  arrows[[length(arrows) + 1]] <- list(banner = "stype", column = level,
    estimate_in = num(coef(b))[1], estimate_rest = num(coef(b))[2],
    diff = num(coef(ct)), se = num(SE(ct)),
    p_value = 2 * pnorm(-abs(num(coef(ct)) / num(SE(ct)))))
}

write(toJSON(list(source = meta, cells = cells, arrows = arrows),
             auto_unbox = TRUE, digits = NA, pretty = TRUE),
      file.path(out, "banner_reference.json"))
cat("wrote banner_reference.json\n")
