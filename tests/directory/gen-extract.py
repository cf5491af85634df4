#!/usr/bin/python3
# gen-extract.py
#
# Copyright 2026 The Cachet developers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Writes a synthetic Extraction_Correspondance_MSSante extract.

Same 31 columns as the public file of the Annuaire Santé, with French names,
professions, specialties and places, several mailboxes per person and
organisational (ORG), application (APP) and practice (CAB) mailboxes. Every
person is made up: names are drawn from common French names, identifiers from
a range no real RPPS or ADELI number uses, and mail domains end in .example
(RFC 2606), so no generated address can reach anyone. A fixed seed gives the
same file every time.

The first rows are a few fixed entries the tests search for (see ANCHORS).
A summary is printed on stdout as JSON: rows written, malformed line numbers,
unlisted rows.
"""

import argparse
import io
import json
import random
import sys
import unicodedata
import zipfile

COLUMNS = [
    "Type de BAL", "Adresse BAL", "Type Identifiant PP", "Identifiant PP",
    "Identification nationale PP", "Type identifiant structure", "Identification Structure",
    "Service de rattachement", "Civilité d'exercice", "Nom d'exercice", "Prénom d'exercice",
    "Catégorie profession", "Libellé de catégorie profession", "Code Profession",
    "Libellé Profession", "Code savoir-faire", "Libellé savoir-faire", "Dématérialisation",
    "Raison Sociale structure BAL", "Enseigne commerciale structure BAL",
    "L2COMPLEMENTLOCALISATION", "L3COMPLEMENTDISTRIBUTION", "L4NUMEROVOIE",
    "L4COMPLEMENTNUMEROVOIE", "NL4TYPEVOIE", "L4LIBELLEVOIE", "L5LIEUDITMENTION",
    "L6LIGNEACHEMINEMENT", "Code postal", "Département", "Pays",
]
UNLISTED_COLUMN = "Liste rouge"

LAST_NAMES = """MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON
MICHEL LEFÈVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE
ROUSSEAU VINCENT MULLER FAURE ANDRÉ MERCIER BLANC GUÉRIN BOYER GARNIER CHEVALIER FRANÇOIS
LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLÉMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU MASSON
MARCHAND DUVAL DENIS DUMONT LEMAIRE NOËL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY
RIVIÈRE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD ROCHE RENARD SCHMITT ROY LEROUX
COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE
BOURGEOIS PIERRE BENOÎT REY LECLERC PAYET ROLLAND HUET LE_GALL LE_ROUX LE_GOFF KERBRAT
CÔTÉ BÉRANGER DESCHAMPS HÉBERT LÉVÊQUE PRÉVOST TESSIER JACQUET CHAUVIN LEBRUN BESNARD
ÉTIENNE GODARD PELLETIER BAILLY HUBERT CARPENTIER MAILLARD LECOMTE COLLET MALLET COUSIN
GRONDIN HOARAU FERRAND BOUCHER DA_SILVA PEREIRA FERREIRA DOS_SANTOS NGUYEN BENALI HADDAD
SANCHEZ LOPEZ ROUSSET POULAIN LAGARDE DELMAS BOUVIER CHARPENTIER DE_LA_FONTAINE""".split()
LAST_NAMES = [name.replace("_", " ") for name in LAST_NAMES]

# Syllables for the long tail of rarer names: the real directory has
# hundreds of thousands of distinct names, not a hundred.
SYLLABLES = """ker bel mar ro du lan gou vé tel bri sau cha mon ber leb ras pel
gui fau dor nan ric bou lau vic mé ten ac bo zé ri gan lor oz quet vert""".split()

FIRST_NAMES = """Marie Jean Pierre Michel André Philippe Nathalie Isabelle Sylvie Catherine
Françoise Christine Monique Valérie Sandrine Stéphane Frédéric Laurent Éric Olivier Nicolas
Christophe David Julien Sébastien Céline Aurélie Émilie Camille Léa Chloé Manon Inès Zoé
Hélène Agnès Thérèse Cécile Anaïs Noémie Maëlle Gaëlle Joëlle Loïc Gaël Anaëlle Raphaël
Jérôme Benoît Rémi Grégoire Timothée Clément Félix Léon Théo Hugo Lucas Mathilde Margaux
Jean-Pierre Jean-François Marie-Claire Anne-Sophie Pierre-Yves Marie-Hélène Jean-Luc""".split()

PROFESSIONS = [
    # (category code, category label, code, label, civility, weight)
    ("C", "Civil", "10", "Médecin", "DR", 45),
    ("C", "Civil", "21", "Pharmacien", "DR", 8),
    ("C", "Civil", "40", "Chirurgien-Dentiste", "DR", 7),
    ("C", "Civil", "50", "Sage-Femme", "", 4),
    ("C", "Civil", "60", "Infirmier", "", 18),
    ("C", "Civil", "70", "Masseur-Kinésithérapeute", "", 9),
    ("C", "Civil", "80", "Pédicure-Podologue", "", 2),
    ("C", "Civil", "91", "Orthophoniste", "", 3),
    ("C", "Civil", "92", "Orthoptiste", "", 1),
    ("C", "Civil", "94", "Ergothérapeute", "", 1),
    ("C", "Civil", "96", "Psychomotricien", "", 1),
    ("M", "Militaire", "10", "Médecin", "DR", 1),
]

SPECIALTIES = {
    "10": [
        ("SM54", "Médecine générale", 40), ("SM04", "Cardiologie et maladies vasculaires", 5),
        ("SM15", "Dermatologie et vénéréologie", 3), ("SM19", "Endocrinologie et métabolisme", 2),
        ("SM24", "Gastro-entérologie et hépatologie", 3), ("SM26", "Gynécologie-obstétrique", 3),
        ("SM32", "Neurologie", 2), ("SM38", "Ophtalmologie", 4), ("SM40", "Oto-rhino-laryngologie", 2),
        ("SM42", "Pédiatrie", 4), ("SM43", "Pneumologie", 2), ("SM44", "Psychiatrie", 5),
        ("SM45", "Radio-diagnostic", 4), ("SM47", "Rhumatologie", 2),
        ("SM02", "Anesthésie-réanimation", 5), ("SM53", "Chirurgie orthopédique et traumatologie", 2),
        ("SM30", "Néphrologie", 1), ("SM20", "Gériatrie", 2), ("SM05", "Biologie médicale", 2),
    ],
    "21": [("", "", 8), ("SP01", "Biologie médicale", 1)],
    "40": [("", "", 8), ("SCD01", "Orthopédie dento-faciale", 1), ("SCD02", "Chirurgie orale", 1)],
}

CITIES = [
    # (city, postcode, department, weight)
    ("Paris", "75011", "75", 10), ("Paris", "75015", "75", 8), ("Paris", "75018", "75", 6),
    ("Marseille", "13005", "13", 6), ("Lyon", "69003", "69", 5), ("Lyon", "69008", "69", 4),
    ("Toulouse", "31000", "31", 5), ("Nice", "06000", "06", 4), ("Nantes", "44000", "44", 4),
    ("Strasbourg", "67000", "67", 4), ("Montpellier", "34000", "34", 4), ("Bordeaux", "33000", "33", 4),
    ("Lille", "59000", "59", 4), ("Rennes", "35000", "35", 3), ("Reims", "51100", "51", 2),
    ("Saint-Étienne", "42000", "42", 2), ("Le Havre", "76600", "76", 2), ("Toulon", "83000", "83", 2),
    ("Grenoble", "38000", "38", 2), ("Dijon", "21000", "21", 2), ("Angers", "49000", "49", 2),
    ("Nîmes", "30000", "30", 2), ("Villeurbanne", "69100", "69", 2), ("Clermont-Ferrand", "63000", "63", 2),
    ("Le Mans", "72000", "72", 1), ("Aix-en-Provence", "13100", "13", 2), ("Brest", "29200", "29", 2),
    ("Tours", "37000", "37", 2), ("Amiens", "80000", "80", 1), ("Limoges", "87000", "87", 1),
    ("Annecy", "74000", "74", 1), ("Perpignan", "66000", "66", 1), ("Besançon", "25000", "25", 1),
    ("Orléans", "45000", "45", 1), ("Metz", "57000", "57", 1), ("Rouen", "76000", "76", 1),
    ("Mulhouse", "68100", "68", 1), ("Caen", "14000", "14", 1), ("Nancy", "54000", "54", 1),
    ("Ajaccio", "20000", "2A", 1), ("Bastia", "20200", "2B", 1), ("Saint-Denis", "97400", "974", 1),
    ("Fort-de-France", "97200", "972", 1), ("Pointe-à-Pitre", "97110", "971", 1),
    ("Quimper", "29000", "29", 1), ("Béziers", "34500", "34", 1), ("Pau", "64000", "64", 1),
    ("Bayonne", "64100", "64", 1), ("Périgueux", "24000", "24", 1), ("Chambéry", "73000", "73", 1),
    ("Saint-Genis-Laval", "69230", "69", 1), ("L'Haÿ-les-Roses", "94240", "94", 1),
    ("Évreux", "27000", "27", 1), ("Châteauroux", "36000", "36", 1), ("Mâcon", "71000", "71", 1),
]

STREET_TYPES = ["R", "AV", "BD", "PL", "CHE", "ALL", "IMP", "QU"]
STREET_NAMES = ["de la République", "Victor Hugo", "Jean Jaurès", "des Lilas", "du Général de Gaulle",
                "Pasteur", "de l'Église", "Gambetta", "Émile Zola", "des Écoles", "de la Gare",
                "Saint-Exupéry", "des Tilleuls", "du Château", "Anatole France", "de Verdun",
                "des Frères Lumière", "Clémenceau", "du 8 Mai 1945", "de la Liberté"]
NUMBER_SUFFIXES = ["", "", "", "", "", "", "B", "T"]

ORGANISATION_KINDS = [
    ("Centre hospitalier de {city}", "CH-{slug}"), ("CHU de {city}", "CHU-{slug}"),
    ("Clinique Saint-{saint}", "CLIN-{saint_slug}"), ("Laboratoire de biologie médicale {name}", "LBM-{name_slug}"),
    ("EHPAD Les {trees}", "EHPAD-{trees_slug}"), ("Centre de santé {name}", "CDS-{name_slug}"),
    ("Maison de santé pluriprofessionnelle de {city}", "MSP-{slug}"), ("Pharmacie du {place}", "PHIE-{place_slug}"),
]
SAINTS = ["Joseph", "Vincent", "Martin", "Louis", "Jean", "Luc", "Gatien", "Roch", "Augustin", "Éloi"]
TREES = ["Tilleuls", "Érables", "Châtaigniers", "Mimosas", "Glycines", "Peupliers", "Oliviers"]
PLACES = ["Marché", "Centre", "Port", "Pont", "Parc", "Rond-Point", "Beffroi"]
SERVICES = ["", "", "Secrétariat médical", "Service de cardiologie", "Urgences", "Imagerie médicale",
            "Laboratoire", "Service de pédiatrie", "Bureau des entrées", "Service de médecine interne"]
PERSON_DOMAINS = ["medecin.mssante.example", "pro.mssante.example", "infirmier.mssante.example",
                  "pharmacien.mssante.example", "ch-santé.mssante.example", "ght.mssante.example"]

# Fixed entries the tests look for. Each mailbox: (type, address, organisation
# or None, service, city index). The random rows never reuse these names.
ANCHORS = [
    {"first": "Hélène", "last": "MARTIN", "profession": "10", "specialty": "SM04",
     "national": "899000000011", "mailboxes": [
         ("PER", "helene.martin@medecin.mssante.example", None, "", ("Lyon", "69003", "69")),
         ("PER", "h.martin@chu-lyon.mssante.example", "CHU de Lyon", "Service de cardiologie",
          ("Lyon", "69003", "69"))]},
    {"first": "Jean-François", "last": "MARTINEZ", "profession": "10", "specialty": "SM54",
     "national": "899000000029", "mailboxes": [
         ("PER", "jf.martinez@medecin.mssante.example", None, "", ("Lyon", "69008", "69")),
         ("CAB", "cabinet.lilas@medecin.mssante.example", "Cabinet médical des Lilas", "",
          ("Lyon", "69008", "69"))]},
    {"first": "Éloïse", "last": "LE GALL", "profession": "60", "specialty": "",
     "national": "899000000037", "mailboxes": [
         ("PER", "eloise.le-gall@infirmier.mssante.example", None, "", ("Brest", "29200", "29"))]},
    {"first": "Martin", "last": "DUBOIS-LEFÈVRE", "profession": "10", "specialty": "SM42",
     "national": "899000000045", "mailboxes": [
         ("PER", "martin.dubois-lefevre@medecin.mssante.example", None, "",
          ("Villeurbanne", "69100", "69"))]},
    {"organisation": "Centre hospitalier universitaire de Lyon", "structure": "699000001",
     "mailboxes": [
         ("ORG", "secretariat.cardiologie@chu-lyon.mssante.example", None, "Service de cardiologie",
          ("Lyon", "69003", "69")),
         ("ORG", "urgences@chu-lyon.mssante.example", None, "Urgences", ("Lyon", "69003", "69"))]},
    {"organisation": "Laboratoire Biolyon", "structure": "699000002",
     "mailboxes": [
         ("APP", "resultats@biolyon.mssante.example", None, "", ("Lyon", "69007", "69"))]},
]
ANCHOR_NAMES = {(a["first"], a["last"]) for a in ANCHORS if "first" in a}
ANCHOR_ROWS = sum(len(a["mailboxes"]) for a in ANCHORS)


def weighted(rng, items, weight_index=-1):
    return rng.choices(items, weights=[item[weight_index] for item in items])[0]


def slug(text):
    decomposed = unicodedata.normalize("NFD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = []
    for c in ascii_text.lower():
        out.append(c if c.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


class Generator:
    def __init__(self, rng, unlisted_rate):
        self.rng = rng
        self.unlisted_rate = unlisted_rate
        self.next_id = 100000
        self.used_addresses = set()

    def number(self):
        self.next_id += self.rng.randint(1, 9)
        return self.next_id

    def last_name(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return rng.choice(LAST_NAMES)
        if roll < 0.55:
            return rng.choice(LAST_NAMES) + "-" + rng.choice(LAST_NAMES)
        syllables = rng.randint(2, 3)
        return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).upper()

    def place(self):
        city, postcode, department, _ = weighted(self.rng, CITIES)
        return city, postcode, department

    def address_fields(self, city_place, organisation=None):
        rng = self.rng
        city, postcode, department = city_place
        location = rng.choice(["", "", "", "Bâtiment B", "2e étage", "Résidence Les Jardins"])
        distribution = rng.choice(["", "", "", "", "BP 42", "CS 10001"])
        row = {
            "L2COMPLEMENTLOCALISATION": location,
            "L3COMPLEMENTDISTRIBUTION": distribution,
            "L4NUMEROVOIE": str(rng.randint(1, 250)),
            "L4COMPLEMENTNUMEROVOIE": rng.choice(NUMBER_SUFFIXES),
            "NL4TYPEVOIE": rng.choice(STREET_TYPES),
            "L4LIBELLEVOIE": rng.choice(STREET_NAMES),
            "L5LIEUDITMENTION": "",
            "L6LIGNEACHEMINEMENT": f"{postcode} {slug(city).replace('-', ' ').upper()}",
            "Code postal": postcode,
            "Département": department,
            "Pays": "France",
        }
        return row

    def unique_address(self, local, domain):
        address = f"{local}@{domain}"
        n = 1
        while address in self.used_addresses:
            n += 1
            address = f"{local}{n}@{domain}"
        self.used_addresses.add(address)
        return address

    def organisation(self, city_place):
        rng = self.rng
        city = city_place[0]
        template, short = rng.choice(ORGANISATION_KINDS)
        values = {
            "city": city, "slug": slug(city),
            "saint": rng.choice(SAINTS), "name": rng.choice(LAST_NAMES).title(),
            "trees": rng.choice(TREES), "place": rng.choice(PLACES),
        }
        values["saint_slug"] = slug(values["saint"])
        values["name_slug"] = slug(values["name"])
        values["trees_slug"] = slug(values["trees"])
        values["place_slug"] = slug(values["place"])
        return template.format(**values), short.format(**values).lower()

    def person_rows(self, first, last, profession, specialty, national, mailboxes):
        rng = self.rng
        category, category_label, code, label, civility, _ = profession
        if civility == "" or rng.random() < 0.1:
            civility = rng.choice(["M", "MME"])
        id_type = national[0]
        rows = []
        for mailbox_type, address, organisation, service, city_place in mailboxes:
            row = dict.fromkeys(COLUMNS, "")
            row.update({
                "Type de BAL": mailbox_type, "Adresse BAL": address,
                "Type Identifiant PP": id_type, "Identifiant PP": national[1:],
                "Identification nationale PP": national,
                "Service de rattachement": service, "Civilité d'exercice": civility,
                "Nom d'exercice": last, "Prénom d'exercice": first,
                "Catégorie profession": category, "Libellé de catégorie profession": category_label,
                "Code Profession": code, "Libellé Profession": label,
                "Code savoir-faire": specialty[0], "Libellé savoir-faire": specialty[1],
                "Dématérialisation": rng.choice(["Oui", "Non"]),
            })
            if organisation is not None:
                row["Type identifiant structure"] = "1"
                row["Identification Structure"] = f"99{self.number():07d}"
                row["Raison Sociale structure BAL"] = organisation
            row.update(self.address_fields(city_place))
            rows.append(row)
        return rows

    def organisation_rows(self, mailbox_type, organisation, structure, mailboxes):
        rows = []
        for _, address, _, service, city_place in mailboxes:
            row = dict.fromkeys(COLUMNS, "")
            row.update({
                "Type de BAL": mailbox_type, "Adresse BAL": address,
                "Type identifiant structure": "1", "Identification Structure": structure,
                "Service de rattachement": service, "Raison Sociale structure BAL": organisation,
                "Dématérialisation": "Oui",
            })
            row.update(self.address_fields(city_place))
            rows.append(row)
        return rows

    def anchor_rows(self):
        rows = []
        for anchor in ANCHORS:
            if "first" in anchor:
                profession = next(p for p in PROFESSIONS if p[2] == anchor["profession"])
                specialty = next((s for s in SPECIALTIES.get(anchor["profession"], [])
                                  if s[0] == anchor["specialty"]), ("", "", 0))
                rows += self.person_rows(anchor["first"], anchor["last"], profession,
                                         specialty, anchor["national"], anchor["mailboxes"])
            else:
                mailbox_type = anchor["mailboxes"][0][0]
                rows += self.organisation_rows(mailbox_type, anchor["organisation"],
                                               anchor["structure"], anchor["mailboxes"])
        for row in rows:
            self.used_addresses.add(row["Adresse BAL"])
        return rows

    def random_person(self):
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST_NAMES), self.last_name()
            if (first, last) not in ANCHOR_NAMES:
                break
        profession = weighted(rng, PROFESSIONS)
        specialty = weighted(rng, SPECIALTIES.get(profession[2], [("", "", 1)]))
        rpps = rng.random() < 0.85
        national = f"8{99}{self.number():09d}" if rpps else f"0{self.number():09d}"
        home = self.place()
        local = slug(f"{first}.{last}").replace("-", ".")
        count = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
        mailboxes = []
        for i in range(count):
            if i == 0:
                domain = rng.choice(PERSON_DOMAINS)
                mailboxes.append(("PER", self.unique_address(local, domain), None, "", home))
            else:
                organisation, short = self.organisation(home)
                mailbox_type = "CAB" if rng.random() < 0.05 else "PER"
                service = rng.choice(SERVICES)
                mailboxes.append((mailbox_type, self.unique_address(local, f"{short}.mssante.example"),
                                  organisation, service, home))
        return self.person_rows(first, last, profession, specialty, national, mailboxes)

    def random_organisation(self):
        rng = self.rng
        home = self.place()
        organisation, short = self.organisation(home)
        structure = f"{home[2][:2]}9{self.number():06d}"
        mailbox_type = "APP" if rng.random() < 0.03 else "ORG"
        mailboxes = []
        for _ in range(rng.choices([1, 2, 4], weights=[70, 20, 10])[0]):
            service = rng.choice(SERVICES)
            local = slug(service) or "contact"
            mailboxes.append((mailbox_type, self.unique_address(local, f"{short}.mssante.example"),
                              None, service, home))
        return self.organisation_rows(mailbox_type, organisation, structure, mailboxes)

    def rows(self, count):
        yield from self.anchor_rows()
        written = ANCHOR_ROWS
        while True:
            batch = self.random_organisation() if self.rng.random() < 0.12 else self.random_person()
            for row in batch:
                if written >= count:
                    return
                written += 1
                yield row


def malformed_line(rng, columns, kind):
    if kind == 0:
        return "|".join(["PER", "bad.row@pro.mssante.example"] + [""] * (len(columns) - 4)).encode()
    if kind == 1:
        fields = ["PER", "latin1@pro.mssante.example"] + [""] * (len(columns) - 2)
        fields[columns.index("Nom d'exercice")] = "\xc9TIENNE"
        return "|".join(fields).encode("latin-1")
    fields = ["ORG", ""] + [""] * (len(columns) - 2)
    return "|".join(fields).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="rows after the header")
    parser.add_argument("--seed", type=int, default=20260814)
    parser.add_argument("--output", "-o", required=True)
    parser.add_argument("--zip", action="store_true",
                        help="write a zip holding Extraction_Correspondance_MSSante_<stamp>.txt")
    parser.add_argument("--stamp", default="202608140312", help="AAAAMMJJhhmm of the zip entry")
    parser.add_argument("--crlf", action="store_true", help="end lines with CR LF")
    parser.add_argument("--bom", action="store_true", help="start with a UTF-8 byte order mark")
    parser.add_argument("--shuffle-columns", action="store_true")
    parser.add_argument("--unlisted", type=float, default=0.0,
                        help="add a 'Liste rouge' column with this share of rows marked true")
    parser.add_argument("--malformed", type=int, default=0, help="malformed lines to insert")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    columns = list(COLUMNS)
    if args.unlisted > 0:
        columns.append(UNLISTED_COLUMN)
    if args.shuffle_columns:
        rng.shuffle(columns)
    newline = b"\r\n" if args.crlf else b"\n"

    # Line 1 is the header; the anchors come first, untouched.
    malformed_positions = set(rng.sample(range(ANCHOR_ROWS + 2, args.rows + 2), args.malformed)) \
        if args.malformed else set()
    summary = {"rows": 0, "malformed_lines": [], "unlisted": 0, "columns": columns}

    out = io.BytesIO() if args.zip else open(args.output, "wb")
    with out:
        if args.bom:
            out.write(b"\xef\xbb\xbf")
        out.write("|".join(columns).encode() + newline)
        line_number = 1
        generator = Generator(rng, args.unlisted)
        for row in generator.rows(args.rows - args.malformed):
            while line_number + 1 in malformed_positions:
                line_number += 1
                out.write(malformed_line(rng, columns, len(summary["malformed_lines"]) % 3) + newline)
                summary["malformed_lines"].append(line_number)
            if args.unlisted > 0:
                unlisted = rng.random() < args.unlisted
                row[UNLISTED_COLUMN] = "true" if unlisted else "false"
                summary["unlisted"] += unlisted
            line_number += 1
            out.write("|".join(row[c] for c in columns).encode() + newline)
            summary["rows"] += 1
        while len(summary["malformed_lines"]) < args.malformed:
            line_number += 1
            out.write(malformed_line(rng, columns, len(summary["malformed_lines"]) % 3) + newline)
            summary["malformed_lines"].append(line_number)
        if args.zip:
            with zipfile.ZipFile(args.output, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(f"Extraction_Correspondance_MSSante_{args.stamp}.txt", out.getvalue())

    json.dump(summary, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
