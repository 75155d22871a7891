# Reference values for round-2 statistics, from R survey on the package's own data
# (and carData::CES11). Run: Rscript tests/data/reference/r/make_round2_reference.R
# from the repository root; it rewrites the files it names below. The test suite reads
# the files and never needs R. Requires: r-base-core r-cran-survey r-cran-cardata
# r-cran-haven r-cran-jsonlite (Debian packages).
suppressPackageStartupMessages({
  library(survey); library(jsonlite); library(carData); library(haven)
})
out <- "tests/data/reference"
data(api)
meta <- list(r = R.version.string, survey = as.character(packageVersion("survey")),
             carData = as.character(packageVersion("carData")))
num <- function(x) unname(as.numeric(x))

# ---- apistrat, stratified with fpc: design-based effective base n* = p(1-p)/v ----
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
nstar <- list()
for (v in c("sch.wide", "awards", "both")) {
  f <- as.formula(paste0("~I(", v, " == 'Yes')"))
  rows <- list(list(domain = NULL, design = dstrat))
  for (s in c("E", "H", "M")) rows[[length(rows) + 1]] <- list(domain = s, design = subset(dstrat, stype == s))
  for (r in rows) {
    m <- svymean(f, r$design)
    p <- num(coef(m))[2]; se <- num(SE(m))[2]
    nstar[[length(nstar) + 1]] <- list(variable = v, stype = r$domain, estimate = p, se = se,
      n_star = p * (1 - p) / se^2, df = degf(r$design), n = nrow(r$design$variables))
  }
}

# ---- apiclus1 with missing answers: svyciprop df counted before rows are dropped ----
apiclus1_na <- apiclus1[, c("cds", "cname", "dnum", "snum", "stype", "awards", "sch.wide", "pw", "fpc")]
apiclus1_na$awards[apiclus1_na$snum %% 7 == 0] <- NA
write.csv(apiclus1_na, file.path(out, "apiclus1_na.csv"), row.names = FALSE, na = "")
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1_na)
ciprop <- list()
for (cn in sort(unique(apiclus1_na$cname))) {
  d <- subset(dclus1, cname == cn)
  for (method in c("logit", "mean", "beta")) {
    ci <- tryCatch(svyciprop(~I(awards == "Yes"), d, method = method, na.rm = TRUE),
                   error = function(e) NULL)
    if (is.null(ci)) next
    lim <- num(attr(ci, "ci"))
    ciprop[[length(ciprop) + 1]] <- list(cname = cn, method = method, estimate = num(ci),
      se = num(SE(ci)), ci_low = lim[1], ci_high = lim[2], df = degf(d),
      n_rows = nrow(d$variables), n_answered = sum(!is.na(d$variables$awards)))
  }
}

# ---- Rao-Scott tests of independence (svychisq) ----
chisq <- list()
for (case in list(list(name = "apistrat sch.wide x stype", design = dstrat, f = ~sch.wide + stype),
                  list(name = "apistrat awards x stype", design = dstrat, f = ~awards + stype),
                  list(name = "apiclus1 sch.wide x stype", design = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1), f = ~sch.wide + stype))) {
  t2 <- svychisq(case$f, case$design, statistic = "F")
  chisq[[length(chisq) + 1]] <- list(case = case$name, statistic = "F", F = num(t2$statistic),
    ndf = num(t2$parameter[1]), ddf = num(t2$parameter[2]), p_value = num(t2$p.value))
}

# ---- Wald tests between domains from the joint covariance (svyby covmat + svycontrast) ----
contrasts <- list()
for (case in list(list(name = "apistrat", design = dstrat),
                  list(name = "apiclus1", design = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)))) {
  b <- svyby(~I(sch.wide == "Yes"), ~stype, case$design, svymean, covmat = TRUE)
  est <- coef(b); V <- vcov(b)
  # coef order: E:FALSE, H:FALSE, M:FALSE, E:TRUE, H:TRUE, M:TRUE (column-major); keep TRUE
  keep <- grep("TRUE", names(est))
  est <- est[keep]; V <- V[keep, keep]
  lv <- c("E", "H", "M")
  for (i in 1:2) for (j in (i + 1):3) {
    w <- rep(0, 3); w[i] <- 1; w[j] <- -1
    sc <- svycontrast(b, setNames(c(rep(0, 3), w), names(coef(b))))
    contrasts[[length(contrasts) + 1]] <- list(design = case$name, a = lv[i], b = lv[j],
      estimate_a = num(est[i]), estimate_b = num(est[j]), se_a = sqrt(V[i, i]), se_b = sqrt(V[j, j]),
      cov_ab = V[i, j], diff = num(coef(sc)), se_diff = num(SE(sc)))
  }
}

# ---- weighting: rake, calibrate (raking), postStratify, trimWeights on apistrat ----
d0 <- svydesign(id = ~1, weights = ~pw, data = apistrat)
pop_stype <- data.frame(table(stype = apipop$stype))
pop_awards <- data.frame(table(awards = apipop$awards))
raked <- rake(d0, list(~stype, ~awards), list(pop_stype, pop_awards),
              control = list(epsilon = 1e-12, maxit = 100))
cal <- calibrate(d0, ~stype + awards,
                 population = c(`(Intercept)` = nrow(apipop),
                                stypeH = sum(apipop$stype == "H"), stypeM = sum(apipop$stype == "M"),
                                awardsYes = sum(apipop$awards == "Yes")),
                 calfun = "raking", epsilon = 1e-12, maxit = 100)
m_cal <- svymean(~I(sch.wide == "Yes"), cal)
m_rake <- svymean(~I(sch.wide == "Yes"), raked)
# svyby on the calibrated design: each stype a domain, its influence values
# residualised on the calibration variables of the whole sample
by_cal <- svyby(~I(sch.wide == "Yes"), ~stype, cal, svymean)
cal_by_stype <- lapply(seq_len(nrow(by_cal)), function(i) list(
  stype = as.character(by_cal$stype[i]), estimate = num(by_cal[i, 3]), se = num(by_cal[i, 5])))
ps <- postStratify(d0, ~stype, pop_stype)
m_ps <- svymean(~I(sch.wide == "Yes"), ps)
w0 <- weights(d0)
trims <- list()
for (b in list(c(0.3, 3), c(0.8, 1.2))) {
  tw <- trimWeights(d0, lower = b[1] * mean(w0), upper = b[2] * mean(w0), strict = TRUE)
  trims[[length(trims) + 1]] <- list(low = b[1], high = b[2], weights = num(weights(tw)))
}
weighting <- list(
  population = list(N = nrow(apipop), stype = setNames(as.list(pop_stype$Freq), as.character(pop_stype$stype)),
                    awards = setNames(as.list(pop_awards$Freq), as.character(pop_awards$awards))),
  cds = as.character(apistrat$cds),
  raked_weights = num(weights(raked)),
  calibrated_weights = num(weights(cal)),
  calibrate_raking = list(estimate = num(coef(m_cal))[2], se = num(SE(m_cal))[2]),
  calibrate_by_stype = cal_by_stype,
  rake_reported = list(estimate = num(coef(m_rake))[2], se = num(SE(m_rake))[2]),
  poststratify = list(weights = num(weights(ps)), estimate = num(coef(m_ps))[2], se = num(SE(m_ps))[2]),
  trim = trims)

write(toJSON(list(source = meta, design_nstar = nstar, svyciprop_missing = ciprop,
                  svychisq = chisq, contrasts = contrasts, weighting = weighting),
             auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
      file.path(out, "round2_reference.json"))

# ---- Canadian Election Study 2011 (carData::CES11) as a labelled SPSS file ----
ces <- CES11
lab <- function(f, text) {
  codes <- seq_along(levels(f))
  labelled(as.integer(f), labels = setNames(codes, levels(f)), label = text)
}
sav <- data.frame(id = ces$id, weight = ces$weight)
sav$province <- lab(ces$province, "Province of residence")
sav$gender <- lab(ces$gender, "Gender")
sav$abortion <- lab(ces$abortion, "Should abortion be banned?")
sav$importance <- lab(ces$importance, "How important is religion in your life?")
sav$education <- lab(ces$education, "Highest level of education")
sav$urban <- lab(ces$urban, "Community type")
attr(sav$id, "label") <- "Respondent id"
attr(sav$weight, "label") <- "Survey weight"
write_sav(sav, "tests/data/ingest/public/ces11.sav")
des <- svydesign(ids = ~1, strata = ~province, weights = ~weight, data = ces)
by_mean <- svyby(~abortion, ~province, des, svymean)
by_logit <- svyby(~I(abortion == "Yes"), ~province, des, svyciprop, method = "logit", vartype = c("se", "ci"))
tot <- svymean(~abortion, des)
tot_logit <- svyciprop(~I(abortion == "Yes"), des, method = "logit")
prov <- as.character(by_mean$province)
ces_ref <- list(source = c(meta, data = "carData::CES11, Canadian Election Study 2011 (Fox & Weisberg, carData)"),
  design = "svydesign(ids=~1, strata=~province, weights=~weight)", question = "abortion",
  total = list(share_yes = num(coef(tot))[2], se_yes = num(SE(tot))[2],
               logit_low = num(attr(tot_logit, "ci"))[1], logit_high = num(attr(tot_logit, "ci"))[2], df = degf(des)),
  by_province = lapply(seq_along(prov), function(i) list(province = prov[i],
    share_no = by_mean$abortionNo[i], share_yes = by_mean$abortionYes[i],
    se_no = by_mean$se.abortionNo[i], se_yes = by_mean$se.abortionYes[i],
    logit_estimate = num(by_logit[i, 2]), logit_low = num(by_logit$ci_l[i]), logit_high = num(by_logit$ci_u[i]))))
write(toJSON(ces_ref, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, "ces11_reference.json"))
cat("wrote round2_reference.json, apiclus1_na.csv, ces11_reference.json and tests/data/ingest/public/ces11.sav\n")
