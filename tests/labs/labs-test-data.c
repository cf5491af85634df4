/* labs-test-data.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "labs-test-data.h"

/* The shared samples sit next to the source tree (../shared/samples);
 * G_TEST_DIST is its tests/ folder. */
char *
labs_test_samples_dir (const char *subdir)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "samples", subdir, NULL);

  return g_canonicalize_filename (dir, NULL);
}

/* @utf8_text with LF line ends, turned into @charset and @line_end. */
GBytes *
labs_test_encode (const char      *utf8_text,
                  const char      *charset,
                  LabsTestLineEnd  line_end)
{
  const char *ends[] = { [LABS_TEST_LF] = "\n", [LABS_TEST_CR] = "\r", [LABS_TEST_CRLF] = "\r\n" };
  g_auto(GStrv) lines = g_strsplit (utf8_text, "\n", -1);
  g_autofree char *joined = g_strjoinv (ends[line_end], lines);
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  char *encoded = g_convert (joined, -1, charset, "UTF-8", NULL, &size, &error);

  g_assert_no_error (error);
  return g_bytes_new_take (encoded, size);
}

/* Two patients in one file, each report ended by ****FIN****; the first
 * has a routing line before its header, as SOLABIO files do. A partial
 * report lacks the last result and says so in its status. */
char *
labs_test_hprim_net (gboolean partial)
{
  GString *text = g_string_new (NULL);

  g_string_append (text,
    "SYNLAB                                  ROUTE\n"
    "0000129610\n"
    "DURAND\n"
    "Hélène Françoise\n"
    "3 rue de l'Église\n"
    "\n"
    "76000 ROUEN\n"
    "02/03/1961\n"
    "2610376000000 12\n"
    "A250513068\n"
    "18/12/2024\n"
    "SYNLAB     Laboratoire Cèdre & Santé\n"
    "MARTPA     MARTIN PAUL\n"
    "Compte-rendu d'examens : <b>Mme DURAND</b>\n"
    "****LAB****\n"
    "RES|Créatinine <script>|CREA|N|85*|µmol/L|45|84|H|F|9.6|mg/l|5.1|9.5\n"
    "RES|soit|CREA|N|9.6|mg/l||||F\n"
    "RES|Calcium|CA|N|2.41|mmol/L|2.20-2.60||N|F\n"
    "RES|Excès de base|BE|N|-8|mmol/L|-2 - 2||L|F\n");
  if (partial)
    g_string_append (text, "RES|Hémoglobine glyquée|HBA1C|N||%||||P\n");
  else
    g_string_append (text, "RES|Hémoglobine glyquée|HBA1C|N|7.2|%|4.0|6.0|H|F\n");
  g_string_append (text,
    "****FIN****\n"
    "\n"
    "0000129611\n"
    "LEFÈVRE\n"
    "Éric\n"
    "\n"
    "\n"
    "75011 PARIS\n"
    "1985-07-14\n"
    "\n"
    "    506232\n"
    "19/12/2024\n"
    "SYNLAB     Laboratoire Cèdre & Santé\n"
    "MARTPA     MARTIN PAUL\n"
    "Glycémie à jeun\n"
    "****LAB****\n"
    "RES|Glycémie|GLU|N|1.30|g/L|0.74|1.06|H|F\n"
    "TEX|Hyperglycémie modérée.\n"
    "****FIN****\n"
    "****FINFICHIER****\n");
  return g_string_free (text, FALSE);
}

/* labs_test_hprim_net() as a lab sends it: in @charset, with @line_end. */
GBytes *
labs_test_hprim_net_encoded (gboolean         partial,
                             const char      *charset,
                             LabsTestLineEnd  line_end)
{
  g_autofree char *text = labs_test_hprim_net (partial);

  return labs_test_encode (text, charset, line_end);
}

/* A small CR-BIO with one glucose result and an embedded PDF. */
char *
labs_test_cda (const char *ins_root,
               const char *set_id,
               guint       version,
               const char *replaces,
               const char *glucose)
{
  g_autofree char *pdf = g_base64_encode ((const guchar *) "%PDF-1.4\n% test\n%%EOF\n", 22);
  g_autofree char *related = replaces != NULL
    ? g_strdup_printf ("<relatedDocument typeCode=\"RPLC\"><parentDocument><id root=\"%s\"/></parentDocument></relatedDocument>",
                       replaces)
    : g_strdup ("");

  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\r\n"
    "<code code=\"11502-2\" codeSystem=\"2.16.840.1.113883.6.1\"/>\r\n"
    "<title>CR de biologie</title>\r\n"
    "<id root=\"%s.%u\"/><setId root=\"%s\"/><versionNumber value=\"%u\"/>\r\n"
    "<effectiveTime value=\"20241218171000+0100\"/>\r\n"
    "<recordTarget><patientRole>\r\n"
    "<id root=\"%s\" extension=\"261037600000012\"/>\r\n"
    "<patient><name><family qualifier=\"BR\">DURAND</family><given>Hélène</given></name>\r\n"
    "<administrativeGenderCode code=\"F\"/><birthTime value=\"19610302\"/></patient>\r\n"
    "</patientRole></recordTarget>\r\n"
    "<author><assignedAuthor><representedOrganization><name>Laboratoire des charmes</name></representedOrganization></assignedAuthor></author>\r\n"
    "<participant typeCode=\"REF\"><associatedEntity><associatedPerson><name><family>MARTIN</family><given>Paul</given></name></associatedPerson></associatedEntity></participant>\r\n"
    "%s\r\n"
    "<componentOf><encompassingEncounter><effectiveTime><low value=\"202412180735+0100\"/></effectiveTime></encompassingEncounter></componentOf>\r\n"
    "<component><structuredBody><component><section>\r\n"
    "<entry><observation classCode=\"OBS\" moodCode=\"EVN\"><code code=\"15074-8\" displayName=\"Glucose\"/>\r\n"
    "<value xsi:type=\"PQ\" value=\"%s\" unit=\"mmol/L\"/><interpretationCode code=\"H\"/>\r\n"
    "<referenceRange><observationRange><value xsi:type=\"IVL_PQ\"><low value=\"4.1\"/><high value=\"5.9\"/></value></observationRange></referenceRange>\r\n"
    "</observation></entry>\r\n"
    "<entry><observationMedia><value mediaType=\"application/pdf\" representation=\"B64\">%s</value></observationMedia></entry>\r\n"
    "</section></component></structuredBody></component>\r\n"
    "</ClinicalDocument>\r\n",
    set_id, version, set_id, version, ins_root, related, glucose, pdf);
}

/* A message from a lab with @content attached as @file_name. */
GBytes *
labs_test_mail (const char *content,
                const char *file_name)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) content, strlen (content));
  char *raw = g_strdup_printf (
    "From: Labo <labo@example.org>\r\nTo: secretariat@demo.cachet.test\r\nSubject: CR\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVeuillez trouver le compte-rendu.\r\n"
    "--b\r\nContent-Type: application/octet-stream; name=\"%s\"\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n", file_name, encoded);

  return g_bytes_new_take (raw, strlen (raw));
}
