"""A demo list of medicines in the style of the Moroccan market, seeded by migration 0002.

Codes are 13-digit EAN-like codes (prefix 611 = Morocco). Within a generic group every
product carries the group's reference price (the price of the generic), which is the basis
of reimbursement; a product without generic has no reference price (basis = public price).
Prices are demo values, not the official price list.
"""

from __future__ import annotations

SINCE = "2006-01-01"

# (name, form, public price) per product; generic products are named after the INN.
# group -> (reference price or None, products)
GROUPS: list[tuple[str, str | None, list[tuple[str, str, str]]]] = [
    (
        "Paracétamol 500 mg",
        "8.50",
        [
            ("Doliprane 500", "comprimé 500 mg, boîte de 16", "12.50"),
            ("Efferalgan 500", "comprimé effervescent 500 mg, boîte de 16", "15.80"),
            ("Paracétamol Pharma5", "comprimé 500 mg, boîte de 16", "8.50"),
        ],
    ),
    (
        "Amoxicilline 1 g",
        "38.00",
        [
            ("Clamoxyl 1 g", "comprimé dispersible 1 g, boîte de 12", "59.90"),
            ("Amoxil 1 g", "comprimé 1 g, boîte de 12", "54.20"),
            ("Amoxicilline Sothema 1 g", "comprimé 1 g, boîte de 12", "38.00"),
        ],
    ),
    (
        "Amoxicilline + acide clavulanique 1 g",
        "82.50",
        [
            ("Augmentin 1 g", "sachet 1 g/125 mg, boîte de 12", "128.00"),
            ("Amoxiclav Cooper 1 g", "sachet 1 g/125 mg, boîte de 12", "82.50"),
        ],
    ),
    (
        "Metformine 850 mg",
        "21.40",
        [
            ("Glucophage 850", "comprimé 850 mg, boîte de 30", "35.60"),
            ("Metformine Pharma5 850", "comprimé 850 mg, boîte de 30", "21.40"),
        ],
    ),
    (
        "Amlodipine 5 mg",
        "46.50",
        [
            ("Amlor 5", "gélule 5 mg, boîte de 30", "89.00"),
            ("Amlodipine Galenica 5", "gélule 5 mg, boîte de 30", "46.50"),
        ],
    ),
    (
        "Oméprazole 20 mg",
        "62.00",
        [
            ("Mopral 20", "gélule 20 mg, boîte de 14", "118.00"),
            ("Oméprazole Sothema 20", "gélule 20 mg, boîte de 14", "62.00"),
        ],
    ),
    (
        "Ésoméprazole 40 mg",
        "96.00",
        [
            ("Inexium 40", "comprimé 40 mg, boîte de 14", "189.00"),
            ("Ésoméprazole Pharma5 40", "comprimé 40 mg, boîte de 14", "96.00"),
        ],
    ),
    (
        "Atorvastatine 20 mg",
        "98.00",
        [
            ("Tahor 20", "comprimé 20 mg, boîte de 30", "194.00"),
            ("Atorvastatine Cooper 20", "comprimé 20 mg, boîte de 30", "98.00"),
        ],
    ),
    (
        "Ibuprofène 400 mg",
        "14.50",
        [
            ("Brufen 400", "comprimé 400 mg, boîte de 30", "24.00"),
            ("Ibuprofène Laprophan 400", "comprimé 400 mg, boîte de 30", "14.50"),
        ],
    ),
    (
        "Diclofénac 50 mg",
        "18.90",
        [
            ("Voltarène 50", "comprimé 50 mg, boîte de 30", "34.20"),
            ("Diclofénac Maphar 50", "comprimé 50 mg, boîte de 30", "18.90"),
        ],
    ),
    (
        "Losartan 50 mg",
        "79.00",
        [
            ("Cozaar 50", "comprimé 50 mg, boîte de 28", "142.00"),
            ("Losartan Pharma5 50", "comprimé 50 mg, boîte de 28", "79.00"),
        ],
    ),
    (
        "Azithromycine 500 mg",
        "87.00",
        [
            ("Zithromax 500", "comprimé 500 mg, boîte de 3", "156.00"),
            ("Azithromycine Sothema 500", "comprimé 500 mg, boîte de 3", "87.00"),
        ],
    ),
    (
        "Ciprofloxacine 500 mg",
        "74.00",
        [
            ("Ciflox 500", "comprimé 500 mg, boîte de 10", "149.00"),
            ("Ciprofloxacine Galenica 500", "comprimé 500 mg, boîte de 10", "74.00"),
        ],
    ),
    (
        "Gliclazide 60 mg LP",
        "45.00",
        [
            ("Diamicron 60", "comprimé LP 60 mg, boîte de 30", "78.00"),
            ("Gliclazide Sothema 60", "comprimé LP 60 mg, boîte de 30", "45.00"),
        ],
    ),
    (
        "Bisoprolol 5 mg",
        "35.00",
        [
            ("Concor 5", "comprimé 5 mg, boîte de 30", "61.00"),
            ("Bisoprolol Cooper 5", "comprimé 5 mg, boîte de 30", "35.00"),
        ],
    ),
    (
        "Clopidogrel 75 mg",
        "128.00",
        [
            ("Plavix 75", "comprimé 75 mg, boîte de 28", "260.00"),
            ("Clopidogrel Pharma5 75", "comprimé 75 mg, boîte de 28", "128.00"),
        ],
    ),
    (
        "Énalapril 20 mg",
        "41.00",
        [
            ("Renitec 20", "comprimé 20 mg, boîte de 28", "78.00"),
            ("Énalapril Maphar 20", "comprimé 20 mg, boîte de 28", "41.00"),
        ],
    ),
    (
        "Sertraline 50 mg",
        "72.00",
        [
            ("Zoloft 50", "gélule 50 mg, boîte de 28", "139.00"),
            ("Sertraline Sothema 50", "gélule 50 mg, boîte de 28", "72.00"),
        ],
    ),
    (
        "Cétirizine 10 mg",
        "24.00",
        [
            ("Zyrtec 10", "comprimé 10 mg, boîte de 15", "52.00"),
            ("Cétirizine Galenica 10", "comprimé 10 mg, boîte de 15", "24.00"),
        ],
    ),
    (
        "Desloratadine 5 mg",
        "38.00",
        [
            ("Aerius 5", "comprimé 5 mg, boîte de 15", "71.00"),
            ("Desloratadine Pharma5 5", "comprimé 5 mg, boîte de 15", "38.00"),
        ],
    ),
    (
        "Salbutamol 100 µg",
        "21.00",
        [
            ("Ventoline 100", "suspension pour inhalation, 200 doses", "33.50"),
            ("Salbutamol Galenica 100", "suspension pour inhalation, 200 doses", "21.00"),
        ],
    ),
    (
        "Acide acétylsalicylique 100 mg",
        "12.00",
        [
            ("Aspégic 100", "sachet 100 mg, boîte de 30", "19.00"),
            ("Aspirine Pharma5 100", "sachet 100 mg, boîte de 30", "12.00"),
        ],
    ),
]

# Products without generic: (name, form, public price, reimbursable, needs prior approval)
SINGLE: list[tuple[str, str, str, bool, bool]] = [
    ("Levothyrox 100", "comprimé 100 µg, boîte de 30", "27.80", True, False),
    ("Spasfon", "comprimé, boîte de 30", "28.40", True, False),
    ("Smecta", "sachet, boîte de 30", "29.80", True, False),
    ("Lasilix 40", "comprimé 40 mg, boîte de 30", "14.80", True, False),
    ("Aldactone 25", "comprimé 25 mg, boîte de 30", "45.00", True, False),
    ("Solupred 20", "comprimé orodispersible 20 mg, boîte de 20", "39.00", True, False),
    ("Lantus SoloStar", "solution injectable 100 UI/ml, 5 stylos", "650.00", True, False),
    ("NovoRapid FlexPen", "solution injectable 100 UI/ml, 5 stylos", "480.00", True, False),
    ("Xanax 0,25", "comprimé 0,25 mg, boîte de 30", "30.00", True, False),
    ("Kardégic 75", "sachet 75 mg, boîte de 30", "21.50", True, False),
    ("Herceptin 150 mg", "poudre pour perfusion, flacon", "9500.00", True, True),
    ("Humira 40 mg", "solution injectable, 2 stylos", "7800.00", True, True),
    ("Glivec 400", "comprimé 400 mg, boîte de 30", "14500.00", True, True),
    ("Enbrel 50 mg", "solution injectable, 4 seringues", "5200.00", True, True),
    ("Avastin 400 mg", "solution pour perfusion, flacon", "16800.00", True, True),
    ("Sovaldi 400", "comprimé 400 mg, boîte de 28", "3000.00", True, True),
    ("Vitamine C UPSA 1000", "comprimé effervescent, boîte de 20", "26.00", False, False),
    ("Biafine", "émulsion, tube 93 g", "42.00", False, False),
    ("Magné B6", "comprimé, boîte de 50", "38.00", False, False),
    ("Fervex", "sachet, boîte de 8", "35.00", False, False),
    ("Strepsils", "pastille, boîte de 24", "29.00", False, False),
    ("Oligosol Zinc", "solution buvable, 28 ampoules", "64.00", False, False),
]


def medicine_rows() -> list[dict[str, object]]:
    """Every medicine as field values, with a stable code per product."""
    rows: list[dict[str, object]] = []
    n = 0
    for group, reference, products in GROUPS:
        for name, form, price in products:
            n += 1
            rows.append(
                {
                    "code": f"6118000{n:06d}",
                    "name": name,
                    "form": form,
                    "public_price": price,
                    "generic_group": group,
                    "reference_price": reference,
                    "reimbursable": True,
                    "needs_prior_approval": False,
                }
            )
    for name, form, price, reimbursable, approval in SINGLE:
        n += 1
        rows.append(
            {
                "code": f"6118000{n:06d}",
                "name": name,
                "form": form,
                "public_price": price,
                "generic_group": "",
                "reference_price": None,
                "reimbursable": reimbursable,
                "needs_prior_approval": approval,
            }
        )
    return rows
