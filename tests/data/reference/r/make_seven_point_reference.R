# Reference values for a 7-point scale's sides (the diverging chart's whiskers), from
# R survey on the package's apistrat. Run from the repository root:
#   Rscript tests/data/reference/r/make_seven_point_reference.R
# It rewrites tests/data/reference/seven_point_reference.json; the suite never needs R.
# The scale is made from the school number, so the suite remakes it from
# apistrat.csv: seven = (snum %% 13) %% 7 + 1 (codes 1..7, 4 the middle).
suppressPackageStartupMessages({ library(survey); library(jsonlite) })
data(api)
meta <- list(r = R.version.string, survey = as.character(packageVersion("survey")))
num <- function(x) unname(as.numeric(x))
strat <- apistrat
strat$seven <- (strat$snum %% 13) %% 7 + 1
design <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = strat)
sides <- list(low = ~I(seven <= 3), high = ~I(seven >= 5))
out <- list()
for (name in names(sides)) {
  f <- sides[[name]]
  whole <- svyciprop(f, design, method = "logit")
  m <- svymean(f, design)
  by <- svyby(f, ~stype, design, svyciprop, method = "logit", vartype = c("se", "ci"))
  out[[name]] <- list(
    total = list(estimate = num(coef(whole)), se = num(SE(m))[2],
                 ci_low = num(confint(whole))[1], ci_high = num(confint(whole))[2]),
    by_stype = list(stype = as.character(by$stype), estimate = num(coef(by)),
                    ci_low = num(by$ci_l), ci_high = num(by$ci_u)))
}
out$meta <- c(meta, list(design = "svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc)",
  call = "svyciprop(~I(seven <= 3) / ~I(seven >= 5), method = 'logit'), overall and svyby(~stype)"))
write_json(out, "tests/data/reference/seven_point_reference.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
