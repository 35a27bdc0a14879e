# Tests de recette de l'annexe B sur l'année 2026 réelle (examples/data/alliance.csv).
# Chaque valeur attendue est recalculée à la main à partir du fichier ; le calcul
# figure en commentaire. Le tableau mois par mois est dans examples/contracts/README.md.
tests for "alliance.pact"

test "2026 : conversion des leads et plancher de conversion" {
  data "../data/alliance.csv"
  # janvier : 30 / 200 = 15 % → ni < 8 %, ni < 12 %, ni >= 25 % → ok
  expect conversion at 2026-01 == 15%
  expect conversion_floor at 2026-01 is ok
  # février : 20 / 180 = 11,111… % ; |11,111… % − 11,11 %| = 0,0011 % ≤ 0,01 %
  expect conversion at 2026-02 == 11.11% within 0.01%
  expect conversion_floor at 2026-02 is watch
  # mars 14 / 200 = 7 % ; avril 12 / 160 = 7,5 % : sous 8 % depuis 2 mois seulement
  # (février 11,1 % ne l'était pas) → règle 1 fausse ; < 12 % → watch
  expect conversion at 2026-04 == 7.5%
  expect conversion_floor at 2026-04 is watch
  # mai : 9 / 150 = 6 % ; mars 7 %, avril 7,5 %, mai 6 % : 3 mois < 8 % → breach
  expect conversion_floor at 2026-05 is breach
  expect paid(orbis, acme) at 2026-05 == 5_000 EUR
  # juin : 15 / 200 = 7,5 % ; avril, mai, juin < 8 % → breach de nouveau
  expect conversion_floor at 2026-06 is breach
  # pénalités cumulées : mai 5 000 + juin 5 000 = 10 000 EUR
  expect paid(orbis, acme, to date) at 2026-06 == 10_000 EUR
  # juillet : leads vides dans le fichier → conversion manquante ;
  # règle 1 = et(vrai, vrai, manquant) = manquant, règles 2 et 3 manquantes → no-data
  expect conversion at 2026-07 is missing
  expect conversion_floor at 2026-07 is no-data
  # août : 12 / 120 = 10 % ; règle 1 = et(juin vrai, juillet manquant, août faux) = faux ;
  # 10 % < 12 % → watch
  expect conversion_floor at 2026-08 is watch
  # septembre : 44 / 220 = 20 % → ok
  expect conversion_floor at 2026-09 is ok
  # octobre : 52 / 200 = 26 % >= 25 % → bonus, prime de 10 000 EUR versée
  expect conversion at 2026-10 == 26%
  expect conversion_floor at 2026-10 is bonus
  expect paid(acme, orbis) at 2026-10 == 10_000 EUR
  # novembre : 70 / 250 = 28 % → bonus, mais la prime est « once » : cumul inchangé
  expect conversion_floor at 2026-11 is bonus
  expect paid(acme, orbis, to date) at 2026-11 == 10_000 EUR
  # décembre : 48 / 240 = 20 % → ok ; aucune nouvelle pénalité depuis juin
  expect conversion_floor at 2026-12 is ok
  expect paid(orbis, acme, to date) at 2026-12 == 10_000 EUR
}

test "2026 : chiffre d'affaires glissant et renégociation" {
  data "../data/alliance.csv"
  # janvier et février : la fenêtre de 3 mois remonte avant le premier mois de données
  expect revenue_3m at 2026-02 is missing
  expect revenue_review at 2026-01 is no-data
  expect revenue_review at 2026-02 is no-data
  # mars : 152 400 + 161 250 + 166 350 = 480 000 EUR ≥ 450 000 → ok
  expect revenue_3m at 2026-03 == 480_000 EUR
  expect revenue_review at 2026-03 is ok
  # avril : 161 250 + 166 350 + 122 400 = 450 000 EUR ; 450 000 < 450 000 faux → ok
  expect revenue_3m at 2026-04 == 450_000 EUR
  expect revenue_review at 2026-04 is ok
  # mai : 166 350 + 122 400 + 91 300 = 380 050 EUR < 450 000 → watch
  expect revenue_3m at 2026-05 == 380_050 EUR
  expect revenue_review at 2026-05 is watch
  # juin 122 400 + 91 300 + 78 650 = 292 350 ; juillet 91 300 + 78 650 + 84 900 = 254 850 :
  # sous 300 000 depuis 1 puis 2 mois seulement → watch
  expect revenue_review at 2026-07 is watch
  # août : 78 650 + 84 900 + 69 800 = 233 350 ; juin, juillet, août < 300 000 → breach
  expect revenue_3m at 2026-08 == 233_350 EUR
  expect revenue_review at 2026-08 is breach
  # septembre : 84 900 + 69 800 + 143 500 = 298 200 < 300 000, 3e mois consécutif → breach
  expect revenue_3m at 2026-09 == 298_200 EUR
  expect revenue_review at 2026-09 is breach
  # octobre : 69 800 + 143 500 + 181 700 = 395 000 ; < 450 000 → watch
  expect revenue_review at 2026-10 is watch
  # novembre : 143 500 + 181 700 + 203 100 = 528 300 → ok
  expect revenue_review at 2026-11 is ok
}

test "2026 : satisfaction client, contrôle trimestriel" {
  data "../data/alliance.csv"
  # mars : (8,2 + 7,9 + 7,6) / 3 = 7,9 → ok
  expect csat_avg at 2026-03 == 7.9
  expect csat_quality at 2026-03 is ok
  # avril : (7,9 + 7,6 + 7,0) / 3 = 22,5 / 3 = 7,5 ; pas de contrôle en avril et mai,
  # le statut de mars (ok) demeure
  expect csat_avg at 2026-04 == 7.5
  expect csat_quality at 2026-05 is ok
  # juin : (7,0 + 6,8 + 7,1) / 3 = 6,9666… → < 7,5 → watch
  expect csat_avg at 2026-06 == 6.97 within 0.01
  expect csat_quality at 2026-06 is watch
  expect csat_quality at 2026-08 is watch
  # septembre : la note d'août est vide → la moyenne (juillet–septembre) est manquante ;
  # règle 1 = et(juin 6,97 < 6 faux, manquant) = faux ; règles 2 et 3 manquantes → no-data
  expect csat_avg at 2026-09 is missing
  expect csat_quality at 2026-09 is no-data
  # octobre : la fenêtre août–octobre contient encore août → manquante
  expect csat_avg at 2026-10 is missing
  # novembre : (7,8 + 8,4 + 8,6) / 3 = 24,8 / 3 = 8,2666… ; statut : no-data de septembre
  expect csat_avg at 2026-11 == 8.27 within 0.01
  expect csat_quality at 2026-11 is no-data
  # décembre : (8,4 + 8,6 + 8,9) / 3 = 25,9 / 3 = 8,6333… >= 8,5 → bonus
  expect csat_avg at 2026-12 == 8.63 within 0.005
  expect csat_quality at 2026-12 is bonus
}

test "2026 : fonds d'innovation" {
  data "../data/alliance.csv"
  # mois sans produit : rien n'est distribué
  expect distributed(fund) at 2026-01 == 0 EUR
  # mars, 150 000 au prorata des plafonds 300 000 / 200 000 → 90 000 / 60 000
  expect distributed(fund, acme) at 2026-03 == 90_000 EUR
  expect distributed(fund, orbis) at 2026-03 == 60_000 EUR
  # juin, 200 000 au prorata des restants 210 000 / 140 000 → 120 000 / 80 000
  expect distributed(fund, acme) at 2026-06 == 120_000 EUR
  expect distributed(fund.repay, orbis, to date) at 2026-06 == 140_000 EUR
  # septembre, 250 000 : restants 90 000 + 60 000 = 150 000 → plafonds atteints ;
  # surplus 100 000 partagé 60 / 40 → 60 000 / 40 000
  expect distributed(fund.repay, acme, to date) at 2026-09 == 300_000 EUR
  expect distributed(fund.repay, orbis, to date) at 2026-09 == 200_000 EUR
  expect distributed(fund.surplus, acme) at 2026-09 == 60_000 EUR
  # acme en septembre : 90 000 + 60 000 = 150 000 EUR
  expect distributed(fund, acme) at 2026-09 == 150_000 EUR
  # décembre, 180 000, tout au surplus : 108 000 / 72 000
  expect distributed(fund.repay) at 2026-12 == 0 EUR
  expect distributed(fund, orbis) at 2026-12 == 72_000 EUR
  # cumul de l'année : acme 90 000 + 120 000 + 150 000 + 108 000 = 468 000 ;
  # orbis 60 000 + 80 000 + 100 000 + 72 000 = 312 000 ; surplus 100 000 + 180 000 = 280 000
  expect distributed(fund, acme, to date) at 2026-12 == 468_000 EUR
  expect distributed(fund, orbis, to date) at 2026-12 == 312_000 EUR
  expect distributed(fund.surplus, to date) at 2026-12 == 280_000 EUR
  # 150 000 + 200 000 + 250 000 + 180 000 = 780 000 = 468 000 + 312 000 ; rien retenu
  expect distributed(fund, to date) at 2026-12 == 780_000 EUR
  expect retained(fund) at 2026-12 == 0 EUR
}

test "2026 : différends ouverts par les manquements de mai et juin" {
  # Le manquement de mai ouvre la procédure le dernier jour du mois : dimanche 31 mai.
  # Étape 1 : 31 mai + 10 jours = mercredi 10 juin (ouvré)
  expect escalation disputes opened 2026-05-31 deadline managers == 2026-06-10
  # étape 2 : 10 jours ouvrés après le 10 juin : 11, 12, 15, 16, 17, 18, 19, 22, 23, 24 → 24 juin
  expect escalation disputes opened 2026-05-31 deadline executives == 2026-06-24
  # étape 3 : 24 juin + 30 jours = vendredi 24 juillet
  expect escalation disputes opened 2026-05-31 deadline mediation == 2026-07-24
  expect escalation disputes opened 2026-05-31 on 2026-07-24 is arbitration
  # Le manquement de juin l'ouvre le mardi 30 juin : 30 juin + 10 jours = vendredi 10 juillet ;
  # étape 2 : 13, (14 férié), 15, 16, 17, 20, 21, 22, 23, 24, 27 juillet → 27 juillet
  expect escalation disputes opened 2026-06-30 deadline managers == 2026-07-10
  expect escalation disputes opened 2026-06-30 deadline executives == 2026-07-27
  expect escalation disputes opened 2026-06-30 on 2026-07-20 is executives
}
