#!/usr/bin/python3
# mailgen.py - realistic synthetic health mail for Cachet's benchmarks.
#
#   mailgen.py --maildir DIR --count N [--first I] [--seed S] [--smime DIR]
#
# Writes messages I .. I+N-1 into DIR/cur as Maildir files, each one
# determined by (seed, index) alone, so that a store can be grown in steps and
# two runs compare the same mail. What it imitates, in French: letters
# between practitioners and hospitals (MSSanté-style addresses), lab results
# as HPRIM Net text in the body, reports with a PDF, replies with quotes,
# HTML newsletters, scans of a few megabytes, and S/MIME signed or encrypted
# messages. Every name is drawn from lists of common first names and
# surnames and combined at random: nobody real.
#
# Sizes follow the shape of real mailboxes: most messages are a few
# kilobytes, a third carry attachments of tens to hundreds of kilobytes, a
# few are megabytes. S/MIME needs openssl, run once per such message with a
# key made in DIR of --smime at run time; without openssl (or --smime) those
# messages are generated as plain letters and the summary says so.

import argparse
import base64
import datetime
import os
import random
import shutil
import subprocess

DOMAIN_RECIPIENT = "demo.cachet.test"

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Jeanne", "Élise", "Agnès", "Hélène", "Sophie",
    "Nathalie", "Isabelle", "Françoise", "Cécile", "Amélie", "Zoé", "Anaïs", "Noémie", "Océane",
    "Lucas", "Hugo", "Théo", "Jérôme", "François", "Étienne", "Benoît", "Grégoire", "Joël",
    "Rémi", "Loïc", "Gaël", "Cédric", "Frédéric", "Stéphane", "Thierry", "Hervé", "Aurélien",
    "Mathéo", "Noé", "Raphaël", "Maël", "Anthony", "Karim", "Yasmine", "Fatoumata", "Mehdi",
]
SURNAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèbvre", "Mercier", "Dupont",
    "Lambert", "Bonnet", "François", "Martinez", "Légaré", "Chevallier", "Bérenger", "Noël",
    "Gauthier", "Perrin", "Rousseau", "Blanchard", "Guérin", "Muller", "Hénaff", "Le Goff",
    "Kerbrat", "Benali", "Nguyen", "Da Silva", "Lemaître", "Faure", "Brisson", "Clément",
]
CITIES = ["Rouen", "Lyon", "Nantes", "Lille", "Brest", "Pau", "Dijon", "Tours", "Nancy",
          "Angers", "Limoges", "Amiens", "Annecy", "Valence", "Quimper", "Évreux", "Besançon"]
SPECIALTIES = ["médecine générale", "cardiologie", "pneumologie", "endocrinologie",
               "gastro-entérologie", "dermatologie", "rhumatologie", "néphrologie",
               "pédiatrie", "gynécologie", "psychiatrie", "neurologie", "ORL", "urologie"]
LAB_TESTS = [
    # label, code, unit, low, high, decimals
    ("HEMOGLOBINE", "HB", "g/dL", 12.0, 16.5, 1),
    ("HEMATOCRITE", "HT", "%", 36.0, 48.0, 1),
    ("LEUCOCYTES", "GB", "G/L", 4.0, 10.0, 2),
    ("PLAQUETTES", "PLQ", "G/L", 150, 400, 0),
    ("GLYCEMIE A JEUN", "GLY", "mmol/L", 3.9, 5.8, 2),
    ("HEMOGLOBINE GLYQUEE", "HBA1C", "%", 4.0, 6.0, 1),
    ("CREATININE", "CREA", "µmol/L", 60, 110, 0),
    ("DFG (CKD-EPI)", "DFG", "mL/min/1,73m²", 90, 140, 0),
    ("POTASSIUM", "K", "mmol/L", 3.5, 5.0, 1),
    ("SODIUM", "NA", "mmol/L", 136, 145, 0),
    ("CHOLESTEROL TOTAL", "CT", "g/L", 1.5, 2.0, 2),
    ("LDL CHOLESTEROL", "LDL", "g/L", 0.7, 1.6, 2),
    ("TRIGLYCERIDES", "TG", "g/L", 0.35, 1.5, 2),
    ("TSH", "TSH", "mUI/L", 0.4, 4.0, 2),
    ("CRP", "CRP", "mg/L", 0, 5, 1),
    ("FERRITINE", "FER", "µg/L", 30, 300, 0),
    ("ASAT", "ASAT", "UI/L", 10, 35, 0),
    ("ALAT", "ALAT", "UI/L", 10, 45, 0),
    ("GAMMA GT", "GGT", "UI/L", 8, 55, 0),
    ("INR", "INR", "", 0.8, 1.2, 2),
    ("VITAMINE D (25-OH)", "VITD", "ng/mL", 30, 100, 0),
    ("PSA TOTAL", "PSA", "ng/mL", 0, 4, 2),
]
SENTENCES = [
    "Je vous remercie de m'avoir adressé votre patient{e} pour avis.",
    "Je vous adresse {civ} {name}, {age} ans, pour la suite de sa prise en charge.",
    "L'examen clinique retrouve un état général conservé, sans fièvre ni amaigrissement.",
    "La tension artérielle est à 13/8, la fréquence cardiaque à 72 battements par minute.",
    "L'électrocardiogramme est sans particularité, en rythme sinusal régulier.",
    "Le bilan biologique montre une fonction rénale préservée et un ionogramme normal.",
    "Je propose de poursuivre le traitement actuel et de réévaluer dans trois mois.",
    "Une échographie abdominale est programmée le {date} au centre hospitalier de {city}.",
    "Le patient signale une dyspnée d'effort apparue depuis quelques semaines.",
    "Pas d'allergie médicamenteuse connue ; antécédents : hypertension, dyslipidémie.",
    "Nous avons majoré la posologie du ramipril à 5 mg par jour, avec contrôle de la kaliémie.",
    "Je reste à votre disposition pour tout renseignement complémentaire.",
    "Merci de me tenir informé(e) de l'évolution ; je la reverrai en consultation.",
    "Les résultats de l'IRM cérébrale ne montrent pas de lésion évolutive.",
    "Un arrêt du tabac a été conseillé, avec orientation vers une consultation dédiée.",
    "La vaccination est à jour ; le rappel diphtérie-tétanos-poliomyélite est prévu en {year}.",
    "Compte tenu de l'âge et des comorbidités, une surveillance rapprochée me paraît préférable.",
    "Le scanner thoraco-abdomino-pelvien réalisé le {date} est rassurant.",
    "L'évolution est favorable sous traitement, avec une nette régression des symptômes.",
    "Je lui ai remis une ordonnance de kinésithérapie (vingt séances).",
    "Hospitalisation du {date} au {date2} dans le service de {specialty} pour décompensation.",
    "Sortie à domicile avec passage infirmier quotidien et réévaluation par le médecin traitant.",
]
SUBJECTS = [
    "Compte rendu de consultation - {civ} {NAME} {first}",
    "Lettre de liaison - sortie d'hospitalisation {civ} {NAME}",
    "Demande d'avis {specialty} pour {civ} {NAME}",
    "Ordonnance renouvelée - {NAME} {first}",
    "Résultats d'examens - {civ} {NAME} {first} - {date}",
    "Courrier de {specialty} concernant {civ} {NAME}",
    "Compte rendu opératoire - {NAME} {first}",
    "Convocation réunion de concertation pluridisciplinaire du {date}",
    "Dossier de {civ} {NAME} : suite de prise en charge",
    "Certificat médical - {NAME} {first}",
]
NEWSLETTERS = [
    ("Ordre départemental des médecins (synthétique)", "info@ordre-demo.mssante.fr",
     "Lettre d'information : permanence des soins et campagne de vaccination"),
    ("Agence régionale de santé (synthétique)", "alertes@ars-demo.mssante.fr",
     "Alerte sanitaire : recrudescence des cas de grippe saisonnière"),
    ("GHT Cœur de Région (synthétique)", "communication@ght-demo.mssante.fr",
     "Nouveaux créneaux de téléexpertise en dermatologie"),
]


def strip_accents(text):
    table = str.maketrans("àâäéèêëîïôöùûüçœæÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ'’ ",
                          "aaaeeeeiioouuuceaAAAEEEEIIOOUUUC---")
    return text.translate(table).replace("--", "-")


def mss_address(rng, first, last):
    local = "%s.%s" % (strip_accents(first).lower(), strip_accents(last).lower().replace("-", ""))
    kind = rng.choices(["medecin", "pharmacien", "infirmier", "chu", "ch", "clinique", "labo"],
                       [50, 6, 8, 14, 10, 6, 6])[0]
    city = strip_accents(rng.choice(CITIES)).lower()
    if kind in ("medecin", "pharmacien", "infirmier"):
        return "%s@%s.mssante.fr" % (local, kind)
    if kind == "labo":
        return "resultats@labo-%s.mssante.fr" % city
    return "%s@%s-%s.mssante.fr" % (local, kind, city)


def person(rng):
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(SURNAMES)
    title = rng.choice(["Dr", "Dr", "Dr", "Pr"])
    return first, last, title


def patient(rng):
    female = rng.random() < 0.5
    return {
        "civ": "Mme" if female else "M.",
        "e": "e" if female else "",
        "first": rng.choice(FIRST_NAMES),
        "last": rng.choice(SURNAMES),
        "age": rng.randint(2, 96),
        "dob": datetime.date(rng.randint(1928, 2022), rng.randint(1, 12), rng.randint(1, 28)),
    }


def fill(rng, template, pat, when):
    d1 = when + datetime.timedelta(days=rng.randint(-60, 60))
    d2 = d1 + datetime.timedelta(days=rng.randint(1, 12))
    return template.format(civ=pat["civ"], e=pat["e"], name="%s %s" % (pat["first"], pat["last"]),
                           NAME=pat["last"].upper(), first=pat["first"], age=pat["age"],
                           date=d1.strftime("%d/%m/%Y"), date2=d2.strftime("%d/%m/%Y"),
                           city=rng.choice(CITIES), specialty=rng.choice(SPECIALTIES),
                           year=when.year + rng.randint(1, 5))


def letter_text(rng, pat, when, sender, paragraphs):
    first, last, title = sender
    lines = ["Cher confrère, chère consœur,", ""]
    for _ in range(paragraphs):
        para = " ".join(fill(rng, rng.choice(SENTENCES), pat, when)
                        for _ in range(rng.randint(2, 6)))
        lines += wrap(para) + [""]
    lines += ["Bien confraternellement,", "", "%s %s %s" % (title, first, last.upper()),
              rng.choice(SPECIALTIES).capitalize() + " - " + rng.choice(CITIES)]
    return "\r\n".join(lines) + "\r\n"


def wrap(text, width=76):
    out, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = word if not line else line + " " + word
    if line:
        out.append(line)
    return out


def hprim_text(rng, pat, when, doctor):
    """An HPRIM Net report: 12-line header, the printable part, ****LAB****."""
    lab_city = rng.choice(CITIES)
    first, last, _ = doctor
    header = [
        "%-40s%-40s%s" % ("LBM %s" % strip_accents(lab_city).upper(), "%s%s" % (
            strip_accents(last).upper()[:4], strip_accents(first).upper()[:2]),
            "%s %s" % (strip_accents(last).upper(), strip_accents(first).upper())),
        strip_accents(pat["last"]).upper(),
        strip_accents(pat["first"]).upper(),
        "%d rue des Lilas" % rng.randint(1, 120),
        "",
        "%05d %s" % (rng.randint(10000, 95999), strip_accents(rng.choice(CITIES)).upper()),
        pat["dob"].strftime("%d/%m/%Y"),
        "",
        "%s%04d" % (when.strftime("%y%m%d"), rng.randint(1, 9999)),
        when.strftime("%d/%m/%Y"),
        "LBM%s" % strip_accents(lab_city).upper()[:6],
        "%s %s" % (strip_accents(last).upper(), strip_accents(first).upper()),
    ]
    tests = rng.sample(LAB_TESTS, rng.randint(4, 14))
    printable = ["Compte-rendu d'examens biologiques de : %s %s %s" % (
        pat["civ"], pat["last"].upper(), pat["first"]),
        "Prélèvement du %s à 08h%02d" % (when.strftime("%d/%m/%Y"), rng.randint(0, 59)), ""]
    lab = ["****LAB****"]
    for label, code, unit, low, high, decimals in tests:
        span = high - low
        value = round(rng.uniform(low - span * 0.3, high + span * 0.3), decimals)
        flag = "H" if value > high else "L" if value < low else "N"
        shown = ("%." + str(decimals) + "f") % value
        printable.append("%-28s %10s %-14s (%s - %s)%s" % (
            label.capitalize(), shown.replace(".", ","), unit, low, high,
            "  *" if flag != "N" else ""))
        lab.append("RES|%s|%s|N|%s|%s|%s|%s|%s|F" % (label, code, shown, unit, low, high, flag))
    if rng.random() < 0.4:
        printable += ["", "Commentaire : résultat contrôlé sur un second prélèvement."]
        lab.append("TEX|Résultat contrôlé sur un second prélèvement")
    lab += ["****FIN****", "****FINFICHIER****"]
    return "\r\n".join(header + printable + [""] + lab) + "\r\n"


def pdf_bytes(rng, title_lines, target_size):
    """A small valid PDF: one page of text and an incompressible stream (like
    the scanned image of a real report) bringing it near @target_size."""
    text = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        "(%s) '" % strip_accents(t).replace("(", "[").replace(")", "]")
        for t in title_lines) + " ET"
    filler = rng.randbytes(max(0, target_size - 900))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(filler)
        + filler + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def b64_lines(data):
    encoded = base64.b64encode(data)
    return b"\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76)) + b"\r\n"


def encode_header(value):
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        # RFC 2047, in chunks that keep each encoded word short.
        words, chunk = [], ""
        for ch in value:
            if len((chunk + ch).encode("utf-8")) > 45:
                words.append(chunk)
                chunk = ""
            chunk += ch
        words.append(chunk)
        return "\r\n ".join("=?UTF-8?B?%s?=" % base64.b64encode(w.encode()).decode()
                            for w in words)


def text_part(text, charset="utf-8"):
    body = text.encode(charset)
    return (b"Content-Type: text/plain; charset=%s; format=flowed\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n" % charset.encode()) + body


def html_part(rng, title, paragraphs):
    html = "<html><head><meta charset=\"utf-8\"><title>%s</title></head><body>" % title
    html += "<h1>%s</h1>" % title
    for p in paragraphs:
        html += "<p style=\"font-family: Arial; color: #333\">%s</p>" % p
    html += "<p><a href=\"https://example.org/desinscription\">Se désinscrire</a></p></body></html>"
    return (b"Content-Type: text/html; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n") + b64_lines(html.encode())


def attachment(data, content_type, filename):
    return (("Content-Type: %s; name=\"%s\"\r\n"
             "Content-Disposition: attachment; filename=\"%s\"\r\n"
             "Content-Transfer-Encoding: base64\r\n\r\n") % (content_type, filename, filename)
            ).encode() + b64_lines(data)


def multipart(subtype, parts, boundary):
    out = b"Content-Type: multipart/%s; boundary=\"%s\"\r\n\r\n" % (subtype.encode(),
                                                                    boundary.encode())
    out += b"This is a multi-part message in MIME format.\r\n"
    for part in parts:
        out += b"--%s\r\n" % boundary.encode() + part + b"\r\n"
    return out + b"--%s--\r\n" % boundary.encode()


def pdf_size(rng):
    # Log-normal around 35 kB, as exported reports are.
    return int(min(4_000_000, max(6_000, rng.lognormvariate(10.5, 0.8))))


class Smime:
    """A sender key and certificate, and Alice's, made at run time."""

    def __init__(self, directory):
        self.dir = directory
        self.available = shutil.which("openssl") is not None
        if not self.available:
            return
        os.makedirs(directory, exist_ok=True)
        for name, subject in (("sender", "/CN=Dr Synthetique Expediteur/O=Cachet bench"),
                              ("recipient", "/CN=alice@%s/O=Cachet bench" % DOMAIN_RECIPIENT)):
            key, cert = self.path(name + ".key"), self.path(name + ".pem")
            if not os.path.exists(cert):
                subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                "-keyout", key, "-out", cert, "-days", "30", "-subj", subject],
                               check=True, capture_output=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, args, data):
        return subprocess.run(["openssl", "cms"] + args, input=data, check=True,
                              capture_output=True).stdout.replace(b"\r\n", b"\n").replace(
                                  b"\n", b"\r\n")

    def sign(self, mime_part):
        return self.run(["-sign", "-signer", self.path("sender.pem"), "-inkey",
                         self.path("sender.key"), "-outform", "SMIME"], mime_part)

    def encrypt(self, mime_part):
        return self.run(["-encrypt", "-aes256", "-outform", "SMIME", self.path("recipient.pem")],
                        mime_part)


KINDS = [  # kind, weight (per cent)
    ("letter", 38), ("lab", 20), ("report_pdf", 18), ("reply", 10), ("newsletter", 5),
    ("signed", 4), ("encrypted", 1), ("scan", 0.6), ("lab_pdf", 3.4),
]


def message(seed, index, recipient, smime, now):
    """Returns (bytes, date, maildir flags, kind) for message @index."""
    rng = random.Random("%s/%d" % (seed, index))
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    if kind in ("signed", "encrypted") and (smime is None or not smime.available):
        kind = "letter"
    # Spread over three years, more recent mail more likely.
    when = now - datetime.timedelta(seconds=int(3 * 365 * 86400 * rng.random() ** 1.6))
    sender = person(rng)
    pat = patient(rng)
    from_addr = mss_address(rng, sender[0], sender[1])
    from_name = "%s %s %s" % (sender[2], sender[0], sender[1].upper())
    subject = fill(rng, rng.choice(SUBJECTS), pat, when)
    boundary = "=_cachet_bench_%d_%08x" % (index, rng.getrandbits(32))
    extra = []

    if kind == "letter":
        body = text_part(letter_text(rng, pat, when, sender, rng.randint(1, 5)))
    elif kind == "reply":
        subject = rng.choice(["RE: ", "Re: ", "TR: "]) + subject
        quoted = letter_text(rng, pat, when, person(rng), rng.randint(1, 3))
        text = letter_text(rng, pat, when, sender, 1)
        text += "\r\nLe %s, un confrère a écrit :\r\n" % when.strftime("%d/%m/%Y à %H:%M")
        text += "".join("> " + line + "\r\n" for line in quoted.split("\r\n"))
        body = text_part(text)
        extra.append("In-Reply-To: <%08x.%d@mssante.fr>" % (rng.getrandbits(32), index))
    elif kind in ("lab", "lab_pdf"):
        first, last = sender[0], sender[1]
        from_addr = "resultats@labo-%s.mssante.fr" % strip_accents(rng.choice(CITIES)).lower()
        from_name = "Laboratoire de biologie médicale (synthétique)"
        subject = "Résultats %s %s %s" % (pat["last"].upper(), pat["first"],
                                          when.strftime("%d/%m/%Y"))
        charset = rng.choice(["iso-8859-1", "utf-8"])
        hprim = hprim_text(rng, pat, when, (first, last, "Dr"))
        body = text_part(hprim, charset)
        if kind == "lab_pdf":
            pdf = pdf_bytes(rng, ["Compte rendu de biologie", pat["last"]], pdf_size(rng))
            body = multipart("mixed", [body, attachment(pdf, "application/pdf", "CR-BIO.pdf")],
                             boundary)
    elif kind in ("report_pdf", "scan"):
        text = letter_text(rng, pat, when, sender, rng.randint(1, 2))
        size = pdf_size(rng) if kind == "report_pdf" else rng.randint(500_000, 3_000_000)
        name = "%s_%s_%s.pdf" % (rng.choice(["CR", "Courrier", "Ordonnance", "Scanner", "IRM"]),
                                 strip_accents(pat["last"]).upper(), when.strftime("%Y%m%d"))
        parts = [text_part(text), attachment(pdf_bytes(rng, [subject, pat["last"]], size),
                                             "application/pdf", name)]
        if rng.random() < 0.15:
            parts.append(attachment(pdf_bytes(rng, ["Annexe"], pdf_size(rng)), "application/pdf",
                                    "annexe.pdf"))
        body = multipart("mixed", parts, boundary)
    elif kind == "newsletter":
        from_name, from_addr, subject = rng.choice(NEWSLETTERS)
        paragraphs = [fill(rng, rng.choice(SENTENCES), pat, when) for _ in range(rng.randint(4, 12))]
        body = multipart("alternative", [text_part("\r\n\r\n".join(paragraphs) + "\r\n"),
                                         html_part(rng, subject, paragraphs)], boundary)
    else:  # signed, encrypted
        inner = text_part(letter_text(rng, pat, when, sender, rng.randint(1, 4)))
        if rng.random() < 0.5:
            inner = multipart("mixed", [inner, attachment(pdf_bytes(rng, [subject], pdf_size(rng)),
                                                          "application/pdf", "document.pdf")],
                              boundary)
        body = smime.sign(inner) if kind == "signed" else smime.encrypt(inner)
        # openssl writes its own MIME-Version line.
        body = b"\r\n".join(line for line in body.split(b"\r\n")
                            if not line.startswith(b"MIME-Version:"))

    headers = [
        "Return-Path: <%s>" % from_addr,
        "Date: %s" % when.strftime("%a, %d %b %Y %H:%M:%S +0100"),
        "From: %s <%s>" % (encode_header(from_name), from_addr),
        "To: Dr Alice Martin <%s>" % recipient,
        "Subject: %s" % encode_header(subject),
        "Message-ID: <%d.%08x@bench.mssante.fr>" % (index, rng.getrandbits(32)),
        "X-MSS-NIL: BENCH-0000",
        "MIME-Version: 1.0",
    ] + extra
    data = ("\r\n".join(headers) + "\r\n").encode() + body
    age_days = (now - when).days
    flags = ""
    if rng.random() < (0.97 if age_days > 7 else 0.5):
        flags += "S"
    if rng.random() < 0.03:
        flags = "F" + flags
    return data, when, flags, kind


def generate(maildir, count, first=0, seed="cachet", recipient="alice@" + DOMAIN_RECIPIENT,
             smime_dir=None, owner=None):
    """Writes the messages; returns a summary dict."""
    now = datetime.datetime(2026, 11, 1, 12, 0, 0)
    smime = Smime(smime_dir) if smime_dir else None
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    kinds, total = {}, 0
    for index in range(first, first + count):
        data, when, flags, kind = message(seed, index, recipient, smime, now)
        stamp = int(when.timestamp())
        name = "%d.M%dP0.cachetbench,S=%d:2,%s" % (stamp, index, len(data), flags)
        path = os.path.join(maildir, "cur", name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (stamp, stamp))
        if owner is not None:
            os.chown(path, owner[0], owner[1])
        kinds[kind] = kinds.get(kind, 0) + 1
        total += len(data)
    if owner is not None:
        for sub in ("", "cur", "new", "tmp"):
            os.chown(os.path.join(maildir, sub), owner[0], owner[1])
    return {"count": count, "bytes": total, "kinds": kinds,
            "smime": smime is not None and smime.available}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--seed", default="cachet")
    parser.add_argument("--smime", metavar="DIR", help="where to keep the S/MIME test keys")
    args = parser.parse_args()
    summary = generate(args.maildir, args.count, args.first, args.seed, smime_dir=args.smime)
    print("%d messages, %.1f MB, S/MIME %s; %s" % (
        summary["count"], summary["bytes"] / 1e6, "on" if summary["smime"] else "off (no openssl)",
        ", ".join("%s %d" % kv for kv in sorted(summary["kinds"].items()))))


if __name__ == "__main__":
    main()
