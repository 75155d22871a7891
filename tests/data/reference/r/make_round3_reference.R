# Reference values for issue 12 (lonely PSUs, zero weights, deff = "replace"), from
# R survey on the package's own data. Run from the repository root:
#   Rscript tests/data/reference/r/make_round3_reference.R
# It rewrites tests/data/reference/round3_reference.json; the suite never needs R.
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
out <- "tests/data/reference"
data(api)
meta <- list(r = R.version.string, survey = as.character(packageVersion("survey")))
num <- function(x) unname(as.numeric(x))
yes <- ~I(sch.wide == "Yes")
share <- function(m) list(estimate = num(coef(m))[2], se = num(SE(m))[2])

# ---- lonely PSUs: one stratum with a single PSU, under each survey.lonely.psu ----
strat <- apistrat
strat$st <- as.character(strat$stype)
strat$st[1] <- "Solo"                       # row 1 alone in its stratum
clus <- apiclus1
clus$st <- ifelse(clus$dnum == 637, "Solo", ifelse(clus$dnum < 400, "Low", "High"))
lonely <- list()
for (rule in c("adjust", "average", "certainty")) {
  options(survey.lonely.psu = rule)
  for (case in list(
    list(name = "apistrat", design = svydesign(id = ~1, strata = ~st, weights = ~pw, data = strat)),
    list(name = "apiclus1", design = svydesign(id = ~dnum, strata = ~st, weights = ~pw, data = clus)))) {
    whole <- share(svymean(yes, case$design))
    by <- svyby(yes, ~stype, case$design, svymean)
    lonely[[length(lonely) + 1]] <- list(rule = rule, design = case$name,
      estimate = whole$estimate, se = whole$se, degf = degf(case$design),
      by_stype = list(stype = as.character(by$stype), estimate = num(by[, 3]), se = num(by[, 5])))
  }
}
options(survey.lonely.psu = "fail")

# ---- zero weights: accepted; they stay in the design and leave degf ----
zero <- apistrat
zero$w0 <- zero$pw
zero$w0[c(1, 2, 3, 101)] <- 0
dz <- svydesign(id = ~1, strata = ~stype, weights = ~w0, fpc = ~fpc, data = zero)
mz <- svymean(yes, dz)
ciz <- svyciprop(yes, dz, method = "beta")
byz <- svyby(yes, ~stype, dz, svymean)
zero_weights <- list(rows = c(1, 2, 3, 101), estimate = share(mz)$estimate, se = share(mz)$se,
  degf = degf(dz), nrow = nrow(dz), beta_low = num(attr(ciz, "ci"))[1], beta_high = num(attr(ciz, "ci"))[2],
  by_stype = list(stype = as.character(byz$stype), estimate = num(byz[, 3]), se = num(byz[, 5]),
                  degf = sapply(as.character(byz$stype), function(s) degf(subset(dz, stype == s)))))

# ---- design effects against SRS with replacement (the table's deff) ----
deff <- list()
for (case in list(list(name = "apistrat_stratified", design = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)),
                  list(name = "apistrat_weights_only", design = svydesign(id = ~1, weights = ~pw, data = apistrat)))) {
  m <- svymean(yes, case$design, deff = "replace")
  by <- svyby(yes, ~stype, case$design, svymean, deff = "replace")
  deff[[length(deff) + 1]] <- list(design = case$name, overall = num(attr(m, "deff"))[2],
    by_stype = list(stype = as.character(by$stype), deff = num(by[, grep("^DEff", names(by))[2]])))
}

write(toJSON(list(source = meta, lonely_psu = lonely, zero_weights = zero_weights, deff_replace = deff),
             auto_unbox = TRUE, digits = NA, pretty = TRUE),
      file.path(out, "round3_reference.json"))
cat("wrote round3_reference.json\n")
