"""Messy registers, as organisations keep them, generated for the tests.

MESSY_WORKBOOK: a title merged across the sheet, a blank line, two header lines (the client and
the reply are merged cells over their sub-headers), dates as date cells, as text in three
forms and as Excel serial numbers, accents, an empty line, a section title merged across the
sheet ("Année 2024"), a date that does not exist, a reference given twice, a closed complaint
without outcome, an unknown channel, and a second sheet.
WINDOWS_CSV: French Excel's CSV: Windows-1252, ";" separators, a quoted ";" inside a field,
an empty line of separators, a serial number as text.
"""

import io
from datetime import datetime

import openpyxl

TITLE = "Registre des réclamations \N{EN DASH} CCS Mouans-Sartoux"
HEADERS = [
    "N°",
    "Reçue le",
    "Client",
    None,
    "Objet",
    "Description",
    "Canal",
    "Statut",
    "Réponse",
    None,
    "Remarques",
]
SUB_HEADERS = [
    None,
    None,
    "Nom du client",
    "Compte",
    None,
    None,
    None,
    None,
    "Date",
    "Réponse apportée",
]
LINES = [
    # line 5
    [
        "2023-001",
        datetime(2023, 3, 14),
        "Amélie Laurent",
        "CLI-2023-014",
        "Plateforme",
        "Accès impossible pendant une semaine.",
        "E-mail",
        "Clôturée - fondée",
        45008,  # 23/03/2023
        "Accès rétabli et prolongé d'un mois.",
        "Relance faite le 20/03",
    ],
    # line 6
    [
        "2023-002",
        "02/05/23",
        "Bernard Lefèvre",
        "CLI-2023-020",
        "Facturation",
        "Module facturé non suivi.",
        "Courrier",
        "Répondu",
        "12/05/2023",
        "Remboursement proposé.",
        None,
    ],
    # line 7
    [],
    # line 8: a section title
    ["Année 2024"],
    # line 9
    [
        "2024-001",
        "12 mars 2024",
        "Émilie Dupré",
        "CLI-2024-003",
        "Salle",
        "Salle trop petite pour le groupe.",
        "Téléphone",
        "en cours",
        None,
        None,
        None,
    ],
    # line 10
    ["2024-002", "31/02/2024", "Paul Girard", "CLI-2024-004", "Horaires", "x", "Mail", "en cours"],
    # line 11
    ["2024-001", "13/03/2024", "Autre client", "CLI-2024-005", "Doublon", "y", "Mail", "en cours"],
    # line 12
    [
        "2024-003",
        45400,  # 18/04/2024
        "Société Azur Transports",
        "CLI-2024-007",
        "Attestations",
        "Attestations de fin de formation non reçues.",
        "lettre recommandée",
        "clos",
        "25/04/2024",
        "Attestations envoyées.",
        None,
    ],
    # line 13
    [
        "2024-004",
        "2024-05-02",
        "Jean Castel",
        "CLI-2024-010",
        "Demande d'information",
        "Dates de la prochaine session.",
        "Site web",
        "Non recevable",
        None,
        None,
        None,
    ],
    # line 14
    [
        "2024-005",
        "03/06/2024",
        "Karim Benali",
        "CLI-2024-011",
        "Support",
        "Support de cours non conforme.",
        "Fax",
        "Clos (fondée)",
        "10/06/2024",
        "Support remplacé.",
        None,
    ],
    # line 15
    [
        "2024-006",
        "15/06/2024 à 14h30",
        "Nadia Haddad",
        "CLI-2024-012",
        "Examen",
        "Examen de certification reporté deux fois.",
        "Mail",
        "Clôturée (rejetée)",
        "20/06/2024",
        "Nouvelle date proposée ; indemnisation refusée.",
        "Médiateur saisi par la cliente",
    ],
]


def messy_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Registre"
    sheet["A1"] = TITLE
    sheet.merge_cells("A1:K1")
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append(SUB_HEADERS)
    for merged in ("A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "I3:J3"):
        sheet.merge_cells(merged)
    sheet.merge_cells("K3:K4")
    for line in LINES:
        sheet.append(line)
    sheet.merge_cells("A8:K8")
    sheet["B5"].number_format = "dd/mm/yyyy"
    summary = workbook.create_sheet("Synthèse")
    summary.append(["Total", 9])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


WINDOWS_CSV = (
    "Date de réception;Nom du client;Compte client;Description;Statut;Date de réponse;"
    "Réponse apportée;Issue\r\n"
    "14/03/2024;Hélène Lefèvre;CLI-88;Formatrice absente, séance annulée;clôturée;21/03/2024;"
    "Séance reprogrammée;partiellement\r\n"
    ";;;;;;;\r\n"
    '45366;Cédric Œuvray;CLI-89;"Retard; facture";en attente;;;\r\n'
    "2024-03-20;François Noël;CLI-90;Accueil désagréable;traité;;;\r\n"
    "20/03/2024;Zoé Martin;CLI-91;Bruit;à voir;;;\r\n"
).encode("cp1252")
