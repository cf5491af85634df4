/* test-labs-parse.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#include "cachet-lab-charset.h"
#include "cachet-lab-detect.h"
#include "cachet-lab-parser.h"
#include "cachet-labs-error.h"
#include "cachet-labs-private.h"
#include "cachet-mime.h"
#include "cachet-test-utils.h"
#include "labs-test-data.h"

/* The parsers on generated files (every format, charset, line end and
 * layout pitfall of labs.md) and on the shared samples. */

static const char *const charsets[] = {
  CACHET_LAB_CHARSET_UTF8,
  CACHET_LAB_CHARSET_LATIN1,
  CACHET_LAB_CHARSET_WINDOWS_1252,
  CACHET_LAB_CHARSET_MAC_ROMAN,
};

static GPtrArray *
parse_detected (GBytes          *bytes,
                const char      *name,
                CachetLabFormat  expected_format)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *reports;

  g_assert_cmpint (cachet_lab_detect_format (bytes, name), ==, expected_format);
  reports = cachet_lab_parse (bytes, expected_format, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reports);
  return reports;
}

static CachetLabResult *
result_at (CachetLabReport *report,
           guint            position)
{
  return g_list_model_get_item (cachet_lab_report_get_results (report), position);
}

static void
test_dates (void)
{
  const struct { const char *text; const char *expected; } cases[] = {
    { "02/03/1961", "1961-03-02" },
    { " 1985-07-14 ", "1985-07-14" },
    { "19790328", "1979-03-28" },
    { "202412180735+0100", "2024-12-18T07:35" },
    { "01/01/50", "1950-01-01" },
    { "31/02/2020", NULL },
    { "2020-13-01", NULL },
    { "demain", NULL },
    { "", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *date = cachet_labs_parse_date (cases[i].text);

      g_assert_cmpstr (date, ==, cases[i].expected);
    }
}

static void
test_charset_detection (void)
{
  const char *text = "Créatinine élevée, à revoir ; cœur, ça va.";

  for (gsize i = 0; i < G_N_ELEMENTS (charsets); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *decoded = NULL;
      const char *used = NULL;
      const char *source = text;

      /* Latin-1 has no œ. */
      if (g_str_equal (charsets[i], CACHET_LAB_CHARSET_LATIN1))
        source = "Créatinine élevée, à revoir ; ça va.";
      bytes = labs_test_encode (source, charsets[i], LABS_TEST_LF);
      g_assert_cmpstr (cachet_lab_charset_detect (bytes), ==, charsets[i]);
      decoded = cachet_lab_charset_decode (bytes, NULL, &used, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, source);
      g_assert_cmpstr (used, ==, charsets[i]);
    }
}

static void
test_charset_override (void)
{
  g_autoptr(GBytes) bytes = labs_test_encode ("Hélène", CACHET_LAB_CHARSET_LATIN1, LABS_TEST_LF);
  g_autoptr(GBytes) bom = g_bytes_new_static ("\xEF\xBB\xBFok", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *as_mac = NULL;
  g_autofree char *as_utf8 = NULL;
  g_autofree char *without_bom = NULL;

  as_mac = cachet_lab_charset_decode (bytes, CACHET_LAB_CHARSET_MAC_ROMAN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (as_mac, !=, "Hélène");
  as_utf8 = cachet_lab_charset_decode (bytes, CACHET_LAB_CHARSET_UTF8, NULL, &error);
  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID);
  g_assert_null (as_utf8);
  g_clear_error (&error);
  without_bom = cachet_lab_charset_decode (bom, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (without_bom, ==, "ok");
}

static void
check_hprim_net_reports (GPtrArray *reports)
{
  CachetLabReport *first;
  CachetLabReport *second;
  CachetLabPatient *patient;
  g_autoptr(CachetLabResult) creatinine = NULL;
  g_autoptr(CachetLabResult) calcium = NULL;
  g_autoptr(CachetLabResult) base_excess = NULL;

  g_assert_cmpuint (reports->len, ==, 2);
  first = g_ptr_array_index (reports, 0);
  second = g_ptr_array_index (reports, 1);

  patient = cachet_lab_report_get_patient (first);
  g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "DURAND");
  g_assert_cmpstr (cachet_lab_patient_get_given_names (patient), ==, "Hélène Françoise");
  g_assert_cmpstr (cachet_lab_patient_get_birth_date (patient), ==, "1961-03-02");
  g_assert_cmpstr (cachet_lab_patient_get_nir (patient), ==, "2610376000000 12");
  g_assert_null (cachet_lab_patient_get_ins (patient));
  g_assert_cmpint (cachet_lab_patient_get_sex (patient), ==, 'U');
  g_assert_cmpstr (cachet_lab_report_get_report_id (first), ==, "A250513068");
  g_assert_cmpstr (cachet_lab_report_get_report_date (first), ==, "2024-12-18");
  g_assert_cmpstr (cachet_lab_report_get_lab (first), ==, "Laboratoire Cèdre & Santé");
  g_assert_cmpstr (cachet_lab_report_get_prescriber (first), ==, "MARTIN PAUL");
  /* The "soit" line became a comment, not a fifth result. */
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (first)), ==, 4);

  creatinine = result_at (first, 0);
  g_assert_cmpstr (cachet_lab_result_get_label (creatinine), ==, "Créatinine <script>");
  g_assert_cmpstr (cachet_lab_result_get_code (creatinine), ==, "CREA");
  g_assert_cmpstr (cachet_lab_result_get_value (creatinine), ==, "85*");
  g_assert_cmpstr (cachet_lab_result_get_unit (creatinine), ==, "µmol/L");
  g_assert_cmpstr (cachet_lab_result_get_reference_low (creatinine), ==, "45");
  g_assert_cmpstr (cachet_lab_result_get_reference_high (creatinine), ==, "84");
  g_assert_cmpint (cachet_lab_result_get_flag (creatinine), ==, CACHET_LAB_FLAG_HIGH);
  g_assert_cmpstr (cachet_lab_result_get_comment (creatinine), ==, "= 9.6 mg/l\n= 9.6 mg/l");

  /* A whole range in the low field is split, signs kept. */
  calcium = result_at (first, 1);
  g_assert_cmpstr (cachet_lab_result_get_reference_low (calcium), ==, "2.20");
  g_assert_cmpstr (cachet_lab_result_get_reference_high (calcium), ==, "2.60");
  base_excess = result_at (first, 2);
  g_assert_cmpstr (cachet_lab_result_get_value (base_excess), ==, "-8");
  g_assert_cmpstr (cachet_lab_result_get_reference_low (base_excess), ==, "-2");
  g_assert_cmpstr (cachet_lab_result_get_reference_high (base_excess), ==, "2");
  g_assert_cmpint (cachet_lab_result_get_flag (base_excess), ==, CACHET_LAB_FLAG_LOW);

  patient = cachet_lab_report_get_patient (second);
  g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "LEFÈVRE");
  g_assert_cmpstr (cachet_lab_patient_get_given_names (patient), ==, "Éric");
  g_assert_cmpstr (cachet_lab_patient_get_birth_date (patient), ==, "1985-07-14");
  g_assert_cmpstr (cachet_lab_report_get_report_id (second), ==, "506232");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (second)), ==, 1);
  g_assert_nonnull (strstr (cachet_lab_report_get_text (second), "Hyperglycémie modérée."));
  g_assert_true (cachet_lab_report_get_original (first) == cachet_lab_report_get_original (second));
}

static void
test_hprim_net_generated (void)
{
  g_autofree char *text = labs_test_hprim_net (FALSE);

  for (gsize c = 0; c < G_N_ELEMENTS (charsets); c++)
    {
      for (LabsTestLineEnd end = LABS_TEST_LF; end <= LABS_TEST_CRLF; end++)
        {
          g_autoptr(GBytes) bytes = labs_test_encode (text, charsets[c], end);
          g_autoptr(GPtrArray) reports = parse_detected (bytes, "resultat.txt", CACHET_LAB_FORMAT_HPRIM_NET);

          const char *detected;

          g_test_message ("%s, line end %d", charsets[c], end);
          check_hprim_net_reports (reports);
          /* This text has no character Windows-1252 adds to Latin-1: both
           * read it the same. */
          detected = cachet_lab_report_get_charset (g_ptr_array_index (reports, 0));
          if (g_str_equal (charsets[c], CACHET_LAB_CHARSET_WINDOWS_1252))
            g_assert_cmpstr (detected, ==, CACHET_LAB_CHARSET_LATIN1);
          else
            g_assert_cmpstr (detected, ==, charsets[c]);
        }
    }
}

static void
test_hprim_net_partial (void)
{
  g_autoptr(GBytes) bytes = labs_test_hprim_net_encoded (TRUE, CACHET_LAB_CHARSET_UTF8, LABS_TEST_LF);
  g_autoptr(GPtrArray) reports = parse_detected (bytes, NULL, CACHET_LAB_FORMAT_HPRIM_NET);

  g_assert_cmpint (cachet_lab_report_get_status (g_ptr_array_index (reports, 0)), ==,
                   CACHET_LAB_REPORT_STATUS_PARTIAL);
  g_assert_cmpint (cachet_lab_report_get_status (g_ptr_array_index (reports, 1)), ==,
                   CACHET_LAB_REPORT_STATUS_FINAL);
}

static void
test_hprim_net_rejects_noise (void)
{
  const char *letter_text = "Cher confrère,\nJe vous adresse\nMme DURAND\npour avis.\n\nConsultation du\n02/03/2024\n"
                            "Cordialement.\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static ("Bonjour,\nvoici le courrier.\n", 28);
  g_autoptr(GBytes) letter = g_bytes_new_static (letter_text, strlen (letter_text));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = NULL;

  g_assert_cmpint (cachet_lab_detect_format (bytes, "lettre.txt"), ==, CACHET_LAB_FORMAT_UNKNOWN);
  /* A date on the seventh line does not make a letter a lab header. */
  g_assert_cmpint (cachet_lab_detect_format (letter, "lettre.txt"), ==, CACHET_LAB_FORMAT_UNKNOWN);
  reports = cachet_lab_parse (bytes, CACHET_LAB_FORMAT_HPRIM_NET, NULL, &error);
  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID);
  g_assert_null (reports);
}

static const char hprim_sante[] =
  "H|~^\\&|CLIR843.hpr||LABO1~Laboratoire Synthèse|||ORU|||MEDECIN~Cabinet||P|H2.2~C|202412180930\n"
  "P|1|01234|A001||DURAND~Hélène~Françoise||19610302|F||3 rue X~~ROUEN~~76000\n"
  "OBR|1|S123~R456||NFS~Numération|||202412180735|||||||||10001~MARTIN Paul||||||20241218|||F\n"
  "OBX|1|NM|HB~Hémoglobine~L||11.2|g/dL|12.0-16.0|L|||F\n"
  "C|1|L|Contrôle conseillé\n"
  "OBX|2|CE|GRP~Groupe~L||A~Groupe A~L||||||F\n"
  "OBX|3|ST|COM~Commentaire très long||Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\n"
  "A| Suite de la ligne.||||||F\n"
  "P|2|01235|A002||LEFÈVRE~Éric||19850714|M\n"
  "OBR|1|S124~R457|||R|202412190800||||||||||10001~MARTIN Paul\n"
  "OBX|1|NM|GLU~Glycémie~L||1.30|g/L|0.74-1.06|H|||F\n"
  "OBX|2|FIC|PDF||ACROBAT~CLIR843002.PDF~Adobe||||||F\n"
  "L|1||2|13|\n";

static void
test_hprim_sante_generated (void)
{
  for (gsize c = 0; c < G_N_ELEMENTS (charsets); c++)
    {
      for (LabsTestLineEnd end = LABS_TEST_LF; end <= LABS_TEST_CRLF; end++)
        {
          g_autoptr(GBytes) bytes = labs_test_encode (hprim_sante, charsets[c], end);
          g_autoptr(GPtrArray) reports = parse_detected (bytes, "CLIR843.hpr", CACHET_LAB_FORMAT_HPRIM_SANTE);
          CachetLabReport *first = g_ptr_array_index (reports, 0);
          CachetLabReport *second = g_ptr_array_index (reports, 1);
          CachetLabPatient *patient = cachet_lab_report_get_patient (first);
          g_autoptr(CachetLabResult) hemoglobin = NULL;
          g_autoptr(CachetLabResult) group = NULL;
          g_autoptr(CachetLabResult) comment = NULL;

          g_assert_cmpuint (reports->len, ==, 2);
          g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "DURAND");
          g_assert_cmpstr (cachet_lab_patient_get_given_names (patient), ==, "Hélène");
          g_assert_cmpstr (cachet_lab_patient_get_birth_date (patient), ==, "1961-03-02");
          g_assert_cmpint (cachet_lab_patient_get_sex (patient), ==, 'F');
          g_assert_cmpstr (cachet_lab_report_get_lab (first), ==, "Laboratoire Synthèse");
          g_assert_cmpstr (cachet_lab_report_get_report_id (first), ==, "S123");
          g_assert_cmpstr (cachet_lab_report_get_sampling_date (first), ==, "2024-12-18T07:35");
          g_assert_cmpstr (cachet_lab_report_get_prescriber (first), ==, "MARTIN Paul");
          g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (first)), ==, 3);
          hemoglobin = result_at (first, 0);
          g_assert_cmpstr (cachet_lab_result_get_label (hemoglobin), ==, "Hémoglobine");
          g_assert_cmpstr (cachet_lab_result_get_reference_low (hemoglobin), ==, "12.0");
          g_assert_cmpstr (cachet_lab_result_get_reference_high (hemoglobin), ==, "16.0");
          g_assert_cmpint (cachet_lab_result_get_flag (hemoglobin), ==, CACHET_LAB_FLAG_LOW);
          g_assert_cmpstr (cachet_lab_result_get_comment (hemoglobin), ==, "Contrôle conseillé");
          group = result_at (first, 1);
          g_assert_cmpstr (cachet_lab_result_get_value (group), ==, "Groupe A");
          /* The A| line continues the record it follows. */
          comment = result_at (first, 2);
          g_assert_true (g_str_has_suffix (cachet_lab_result_get_value (comment), "aliqua. Suite de la ligne."));

          /* The second OBR lacks its test code: the sampling date sits one
           * field early and is still found; the FIC result names the PDF. */
          g_assert_cmpstr (cachet_lab_report_get_sampling_date (second), ==, "2024-12-19T08:00");
          g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (second)), ==, 1);
          g_assert_nonnull (strstr (cachet_lab_report_get_text (second), "CLIR843002.PDF"));
        }
    }
}

static void
test_hprim_sante_delimiters (void)
{
  /* Delimiter roles come from their position after H, whatever they are. */
  const char *text = "H|\\^&~|F.hpr||LAB\\Labo\n"
                     "P|1|||| MARTIN\\Denise||19570314|F\n"
                     "OBX|1|NM|K\\Potassium||4.1|mmol/L|3.5-5.0|N\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GPtrArray) reports = parse_detected (bytes, NULL, CACHET_LAB_FORMAT_HPRIM_SANTE);
  CachetLabReport *report = g_ptr_array_index (reports, 0);
  g_autoptr(CachetLabResult) potassium = result_at (report, 0);

  g_assert_cmpstr (cachet_lab_patient_get_given_names (cachet_lab_report_get_patient (report)), ==, "Denise");
  g_assert_cmpstr (cachet_lab_report_get_lab (report), ==, "Labo");
  g_assert_cmpstr (cachet_lab_result_get_label (potassium), ==, "Potassium");
  g_assert_cmpint (cachet_lab_result_get_flag (potassium), ==, CACHET_LAB_FLAG_NORMAL);
}

static const char hl7_message[] =
  "MSH|^~\\&|SIL|Laboratoire Synthèse|CABINET|X|202412180931||ORU^R01^ORU_R01|42|P|2.5|||||FRA|8859/1\n"
  "PID|||261037600000012^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS~77^^^LABO&1.2.3&ISO^PI||DURAND^Hélène^^^^^D~DURAND-NAISS^Hélène^Hélène Françoise^^^^L||19610302|F||||||||||||||||||||||||VALI\n"
  "ORC|RO|98765|1001-E1\n"
  "OBR|1|98765|1001-E1|11502-2^CR^LN|||202412180735|||||||||^MARTIN^Paul|||||||20241218093000|||C\n"
  "OBX|1|NM|2345-7^Glucose^LN||7.8|mmol/L|4.1-5.9|H|||C\n"
  "NTE|1||À jeun\n"
  "OBX|2|CE|MASQUE_PS^Masqué^MetaDMPMSS||N^^expandedYes-NoIndicator||||||F\n"
  "PID|||77^^^LABO&1.2.3&ISO^PI||MARTIN^Denise^^^^^L||19570314|F\n"
  "OBR|1|98766|1002-E1\n"
  "OBX|1|ST|COM^Commentaire||Rien à signaler||||||F\n";

static void
test_hl7_generated (void)
{
  for (LabsTestLineEnd end = LABS_TEST_LF; end <= LABS_TEST_CRLF; end++)
    {
      g_autoptr(GBytes) bytes = labs_test_encode (hl7_message, CACHET_LAB_CHARSET_LATIN1, end);
      g_autoptr(GPtrArray) reports = parse_detected (bytes, "result.hl7", CACHET_LAB_FORMAT_HL7V2);
      CachetLabReport *first = g_ptr_array_index (reports, 0);
      CachetLabReport *second = g_ptr_array_index (reports, 1);
      CachetLabPatient *patient = cachet_lab_report_get_patient (first);
      g_autoptr(CachetLabResult) glucose = NULL;

      g_assert_cmpuint (reports->len, ==, 2);
      /* MSH-18 says ISO-8859-1: the names come out right. */
      g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "DURAND-NAISS");
      g_assert_cmpstr (cachet_lab_patient_get_given_names (patient), ==, "Hélène");
      g_assert_cmpstr (cachet_lab_patient_get_ins (patient), ==, "261037600000012");
      g_assert_cmpstr (cachet_lab_patient_get_ins_oid (patient), ==, "1.2.250.1.213.1.4.8");
      g_assert_true (cachet_lab_patient_get_ins_qualified (patient));
      g_assert_cmpstr (cachet_lab_report_get_lab (first), ==, "Laboratoire Synthèse");
      g_assert_cmpstr (cachet_lab_report_get_report_id (first), ==, "1001-E1");
      g_assert_cmpstr (cachet_lab_report_get_sampling_date (first), ==, "2024-12-18T07:35");
      g_assert_cmpstr (cachet_lab_report_get_prescriber (first), ==, "MARTIN Paul");
      g_assert_cmpint (cachet_lab_report_get_status (first), ==, CACHET_LAB_REPORT_STATUS_REPLACEMENT);
      g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (first)), ==, 1);
      glucose = result_at (first, 0);
      g_assert_cmpstr (cachet_lab_result_get_value (glucose), ==, "7.8");
      g_assert_cmpstr (cachet_lab_result_get_reference_low (glucose), ==, "4.1");
      g_assert_cmpint (cachet_lab_result_get_flag (glucose), ==, CACHET_LAB_FLAG_HIGH);
      g_assert_cmpstr (cachet_lab_result_get_comment (glucose), ==, "À jeun");

      patient = cachet_lab_report_get_patient (second);
      g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "MARTIN");
      g_assert_null (cachet_lab_patient_get_ins (patient));
      g_assert_false (cachet_lab_patient_get_ins_qualified (patient));
    }
}

static void
test_hl7_not_a_result (void)
{
  const char *ack = "MSH|^~\\&|A|B|C|D|202106060931||ACK^R01^ACK|016|P|2.5\rMSA|AA|015\r";
  g_autoptr(GBytes) bytes = g_bytes_new_static (ack, strlen (ack));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = cachet_lab_parse (bytes, cachet_lab_detect_format (bytes, NULL), NULL, &error);

  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNRECOGNISED);
  g_assert_null (reports);
}

static void
test_cda_generated (void)
{
  g_autofree char *xml = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.1", 2, "1.2.250.1.999.1.1", "7.8");
  g_autoptr(GBytes) bytes = g_bytes_new (xml, strlen (xml));
  g_autoptr(GPtrArray) reports = parse_detected (bytes, "doc.xml", CACHET_LAB_FORMAT_CDA);
  CachetLabReport *report = g_ptr_array_index (reports, 0);
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  g_autoptr(CachetLabResult) glucose = result_at (report, 0);

  g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "DURAND");
  g_assert_cmpstr (cachet_lab_patient_get_birth_date (patient), ==, "1961-03-02");
  g_assert_true (cachet_lab_patient_get_ins_qualified (patient));
  g_assert_cmpstr (cachet_lab_report_get_lab (report), ==, "Laboratoire des charmes");
  g_assert_cmpstr (cachet_lab_report_get_prescriber (report), ==, "MARTIN Paul");
  g_assert_cmpstr (cachet_lab_report_get_sampling_date (report), ==, "2024-12-18T07:35");
  g_assert_cmpstr (cachet_lab_report_get_report_date (report), ==, "2024-12-18T17:10");
  g_assert_cmpstr (cachet_lab_report_get_set_id (report), ==, "1.2.250.1.999.1");
  g_assert_cmpuint (cachet_lab_report_get_version (report), ==, 2);
  g_assert_cmpstr (cachet_lab_report_get_replaces (report), ==, "1.2.250.1.999.1.1");
  g_assert_cmpint (cachet_lab_report_get_status (report), ==, CACHET_LAB_REPORT_STATUS_REPLACEMENT);
  g_assert_cmpstr (cachet_lab_result_get_value (glucose), ==, "7.8");
  g_assert_cmpstr (cachet_lab_result_get_unit (glucose), ==, "mmol/L");
  g_assert_cmpstr (cachet_lab_result_get_reference_high (glucose), ==, "5.9");
  g_assert_cmpint (cachet_lab_result_get_flag (glucose), ==, CACHET_LAB_FLAG_HIGH);
  g_assert_nonnull (cachet_lab_report_get_pdf (report));
}

static void
test_cda_refuses_doctype (void)
{
  const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>&x;</title></ClinicalDocument>\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (xxe, strlen (xxe));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reports = cachet_lab_parse (bytes, CACHET_LAB_FORMAT_CDA, NULL, &error);

  g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNSAFE);
  g_assert_null (reports);
}

typedef struct archive ArchiveWrite;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArchiveWrite, archive_write_free)

static void
add_zip_entry (struct archive *archive,
               const char     *name,
               const char     *data,
               gsize           size)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, (la_int64_t) size);
  g_assert_cmpint (archive_write_header (archive, entry), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_data (archive, data, size), ==, (la_ssize_t) size);
  archive_entry_free (entry);
}

/* An MSSanté package as labs.md describes it, with a Windows separator in
 * one name (seen in real packages): the CDA is read, checked against its
 * metadata, and paired with the package's PDF. */
static void
test_xdm_generated (void)
{
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.4", 1, NULL, "5.5");
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, cda, -1);
  g_autofree char *metadata = g_strdup_printf (
    "<?xml version=\"1.0\"?><lcm:SubmitObjectsRequest xmlns:lcm=\"urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0\""
    " xmlns:rim=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\"><rim:RegistryObjectList>"
    "<rim:ExtrinsicObject id=\"D1\" mimeType=\"text/xml\">"
    "<rim:Slot name=\"URI\"><rim:ValueList><rim:Value>doc0001.xml</rim:Value></rim:ValueList></rim:Slot>"
    "<rim:Slot name=\"hash\"><rim:ValueList><rim:Value>%s</rim:Value></rim:ValueList></rim:Slot>"
    "<rim:Slot name=\"size\"><rim:ValueList><rim:Value>%zu</rim:Value></rim:ValueList></rim:Slot>"
    "</rim:ExtrinsicObject></rim:RegistryObjectList></lcm:SubmitObjectsRequest>", hash, strlen (cda));
  const char pdf[] = "%PDF-1.4\n% rendering\n%%EOF\n";
  g_autoptr(ArchiveWrite) archive = archive_write_new ();
  g_autofree guint8 *buffer = g_malloc (256 * 1024);
  size_t used = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  CachetLabReport *report;

  g_assert_cmpint (archive_write_set_format_zip (archive), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_memory (archive, buffer, 256 * 1024, &used), ==, ARCHIVE_OK);
  add_zip_entry (archive, "README.TXT", "synthetic", 9);
  add_zip_entry (archive, "IHE_XDM/SUBSET01\\METADATA.XML", metadata, strlen (metadata));
  add_zip_entry (archive, "IHE_XDM/SUBSET01/DOC0001.XML", cda, strlen (cda));
  add_zip_entry (archive, "IHE_XDM/SUBSET01/DOC0002.PDF", pdf, strlen (pdf));
  g_assert_cmpint (archive_write_close (archive), ==, ARCHIVE_OK);
  bytes = g_bytes_new (buffer, used);

  reports = parse_detected (bytes, "IHE_XDM.ZIP", CACHET_LAB_FORMAT_XDM);
  g_assert_cmpuint (reports->len, ==, 1);
  report = g_ptr_array_index (reports, 0);
  g_assert_cmpint (cachet_lab_report_get_format (report), ==, CACHET_LAB_FORMAT_XDM);
  g_assert_true (cachet_lab_report_get_original (report) == bytes);
  g_assert_cmpstr (cachet_lab_patient_get_ins (cachet_lab_report_get_patient (report)), ==, "261037600000012");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (report)), ==, 1);
  /* The CDA embeds its own PDF, which wins over the package's. */
  g_assert_cmpmem (g_bytes_get_data (cachet_lab_report_get_pdf (report), NULL),
                   g_bytes_get_size (cachet_lab_report_get_pdf (report)), "%PDF-1.4\n% test\n%%EOF\n", 22);
}

static GBytes *
load_sample (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize size = 0;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, size);
}

/* Every file of one sample folder: detected as @format and parsed, except
 * those named in @unrecognised, which must fail with a clear error. */
static void
check_sample_folder (const char             *subdir,
                     CachetLabFormat         format,
                     const char *const      *unrecognised)
{
  g_autofree char *dir_path = labs_test_samples_dir (subdir);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  if (dir == NULL)
    {
      g_test_skip_printf ("lab samples not found in %s", dir_path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(GBytes) bytes = load_sample (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) reports = NULL;

      g_test_message ("%s", name);
      count++;
      g_assert_cmpint (cachet_lab_detect_format (bytes, name), ==, format);
      reports = cachet_lab_parse (bytes, format, NULL, &error);
      if (unrecognised != NULL && g_strv_contains (unrecognised, name))
        {
          g_assert_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNRECOGNISED);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (reports->len, >=, 1);
      for (guint i = 0; i < reports->len; i++)
        g_assert_true (cachet_lab_report_get_original (g_ptr_array_index (reports, i)) == bytes);
    }
  g_assert_cmpuint (count, >, 0);
}

static void
test_samples_hprim_net (void)
{
  check_sample_folder ("labs/hprim-net", CACHET_LAB_FORMAT_HPRIM_NET, NULL);
}

static void
test_samples_hl7 (void)
{
  const char *const not_results[] = {
    "ans-oru-crbio-v2.1-init-ack.hl7",
    "ans-mdm-lps-from-mssante-v1.0-crbio.hl7",
    NULL,
  };

  check_sample_folder ("labs/hl7v2", CACHET_LAB_FORMAT_HL7V2, not_results);
}

static void
test_samples_cda (void)
{
  /* An XSLT stylesheet wrapping a CDA, not a CDA. */
  const char *const not_cda[] = { "ans-testcontenucda-BIO-CR-BIO_2021.01_Auto-Presentable.xml", NULL };

  check_sample_folder ("labs/cda-crbio", CACHET_LAB_FORMAT_CDA, not_cda);
}

static void
test_samples_xdm (void)
{
  check_sample_folder ("labs/ihe-xdm", CACHET_LAB_FORMAT_XDM, NULL);
}

static GPtrArray *
parse_sample (const char *subdir,
              const char *name)
{
  g_autofree char *dir = labs_test_samples_dir (subdir);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *reports;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("lab sample %s not found", path);
      return NULL;
    }
  bytes = load_sample (path);
  reports = cachet_lab_parse (bytes, cachet_lab_detect_format (bytes, name), NULL, &error);
  g_assert_no_error (error);
  return reports;
}

static void
test_samples_details (void)
{
  g_autoptr(GPtrArray) tsh = parse_sample ("labs/cda-crbio", "ans-testcontenucda-BIO-CR-BIO_2024.01_TSH_1.xml");
  g_autoptr(GPtrArray) micro = NULL;
  g_autoptr(GPtrArray) level1 = NULL;
  g_autoptr(GPtrArray) two_units = NULL;
  g_autoptr(GPtrArray) oru = NULL;
  g_autoptr(GPtrArray) solabio = NULL;
  CachetLabPatient *patient;

  if (tsh == NULL)
    return;
  patient = cachet_lab_report_get_patient (g_ptr_array_index (tsh, 0));
  /* The ANS test INS root: found, never qualified. */
  g_assert_cmpstr (cachet_lab_patient_get_ins (patient), ==, "279035121518989");
  g_assert_cmpstr (cachet_lab_patient_get_ins_oid (patient), ==, "1.2.250.1.213.1.4.10");
  g_assert_false (cachet_lab_patient_get_ins_qualified (patient));
  g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "PAT-TROIS");
  g_assert_cmpstr (cachet_lab_patient_get_birth_date (patient), ==, "1979-03-28");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (g_ptr_array_index (tsh, 0))), >, 0);

  micro = parse_sample ("labs/cda-crbio", "ans-testcontenucda-BIO-CR-BIO_2024.01_Microbiologie_V2.xml");
  g_assert_nonnull (cachet_lab_report_get_replaces (g_ptr_array_index (micro, 0)));
  g_assert_cmpint (cachet_lab_report_get_status (g_ptr_array_index (micro, 0)), ==,
                   CACHET_LAB_REPORT_STATUS_REPLACEMENT);

  level1 = parse_sample ("labs/cda-crbio", "ans-testcontenucda-BIO-CR-BIO_2021.01_CDA-R2-Niveau-1.xml");
  g_assert_nonnull (cachet_lab_report_get_pdf (g_ptr_array_index (level1, 0)));

  two_units = parse_sample ("labs/cda-crbio",
                            "ans-testcontenucda-BIO-CR-BIO_2024.01_Glycemie_deux_unites_principales_mole_masse.xml");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (g_ptr_array_index (two_units, 0))), >=, 2);

  /* The CDA in OBX-5 gives its results to the ORU. */
  oru = parse_sample ("labs/hl7v2", "ans-oru-crbio-segur-v2.1-init-N3.hl7");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (g_ptr_array_index (oru, 0))), >, 0);
  g_assert_cmpstr (cachet_lab_patient_get_ins (cachet_lab_report_get_patient (g_ptr_array_index (oru, 0))), ==,
                   "279035121518989");

  solabio = parse_sample ("labs/hprim-net", "hprimtool-fixture-header-solabio.hpm");
  patient = cachet_lab_report_get_patient (g_ptr_array_index (solabio, 0));
  g_assert_cmpstr (cachet_lab_patient_get_family_name (patient), ==, "DUPONT");
  g_assert_cmpstr (cachet_lab_patient_get_birth_date (patient), ==, "1950-01-01");
  g_assert_cmpstr (cachet_lab_report_get_report_id (g_ptr_array_index (solabio, 0)), ==, "260624HE0103");
  g_assert_cmpuint (g_list_model_get_n_items (cachet_lab_report_get_results (g_ptr_array_index (solabio, 0))), ==, 2);
}

static void
test_hostile_archives (void)
{
  const struct { const char *name; int code; } cases[] = {
    { "xdm-10000-entries.zip", CACHET_LABS_ERROR_TOO_LARGE },
    { "xdm-case-collision.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-deflate-ratio-bomb-256MiB.zip", CACHET_LABS_ERROR_TOO_LARGE },
    { "xdm-duplicate-entry-names.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-entry-absolute.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-entry-backslash.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-entry-dotdot.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-entry-symlink-then-write.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-entry-symlink-to-secret.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-hash-size-mismatch.zip", CACHET_LABS_ERROR_INTEGRITY },
    { "xdm-hostile-names.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-metadata-billion-laughs.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-metadata-uri-absolute-and-url.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-metadata-uri-traversal.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-metadata-xxe.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-missing-metadata.zip", CACHET_LABS_ERROR_INVALID },
    { "xdm-nested-zip.zip", CACHET_LABS_ERROR_UNSAFE },
    { "xdm-unicode-nfc-nfd-collision.zip", CACHET_LABS_ERROR_UNSAFE },
  };
  g_autofree char *dir = labs_test_samples_dir ("security/07-attachments-archives/generated-xdm");
  g_autofree char *valid_path = g_build_filename (dir, "xdm-valid.zip", NULL);
  g_autoptr(GBytes) valid = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (valid_path, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("hostile archive samples not found in %s", dir);
      return;
    }
  valid = load_sample (valid_path);
  reports = cachet_lab_parse (valid, CACHET_LAB_FORMAT_XDM, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reports->len, ==, 1);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (dir, cases[i].name, NULL);
      g_autoptr(GBytes) bytes = load_sample (path);
      g_autoptr(GPtrArray) none = NULL;

      g_test_message ("%s", cases[i].name);
      g_clear_error (&error);
      none = cachet_lab_parse (bytes, cachet_lab_detect_format (bytes, cases[i].name), NULL, &error);
      g_assert_error (error, CACHET_LABS_ERROR, cases[i].code);
      g_assert_null (none);
      g_assert_cmpuint (strlen (error->message), >, 0);
    }
}

/* A message as Apicrypt and MSSanté deliver them: HPRIM in the body
 * (quoted-printable Latin-1), a CDA and its PDF attached under names that
 * say little, and a letter that is no lab result. */
static void
test_find_in_message (void)
{
  g_autofree char *cda = labs_test_cda ("1.2.250.1.213.1.4.8", "1.2.250.1.999.9", 1, NULL, "5.0");
  g_autofree char *cda_base64 = g_base64_encode ((const guchar *) cda, strlen (cda));
  g_autofree char *pdf_base64 = g_base64_encode ((const guchar *) "%PDF-1.4\n%%EOF\n", 15);
  g_autofree char *raw = g_strdup_printf (
    "From: labo@example.org\r\n"
    "To: docteur@example.org\r\n"
    "Subject: Resultats\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"b\"\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: text/plain; charset=iso-8859-1\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "0000129610\r\nDURAND\r\nH=E9l=E8ne\r\n\r\n\r\n76000 ROUEN\r\n02/03/1961\r\n\r\nA1\r\n18/12/2024\r\n"
    "LABO       Labo\r\n.          Dr\r\n****LAB****\r\nRES|Glyc=E9mie|GLU|N|1.30|g/L|0.74|1.06|H|F\r\n"
    "****FIN****\r\n****FINFICHIER****\r\n"
    "--b\r\n"
    "Content-Type: application/octet-stream; name=\"DOC0001\"\r\n"
    "Content-Disposition: attachment; filename=\"DOC0001\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n%s\r\n"
    "--b\r\n"
    "Content-Type: application/pdf; name=\"cr.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"cr.pdf\"\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n%s\r\n"
    "--b\r\n"
    "Content-Type: text/plain; name=\"lettre.txt\"\r\n"
    "Content-Disposition: attachment; filename=\"lettre.txt\"\r\n"
    "\r\n"
    "Cher confr=E8re, merci.\r\n"
    "--b--\r\n", cda_base64, pdf_base64);
  g_autoptr(GBytes) bytes = g_bytes_new (raw, strlen (raw));
  g_autoptr(GError) error = NULL;
  g_autoptr(GMimeMessage) message = cachet_mime_parse_message (bytes, &error);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  CachetLabCandidate *body;
  CachetLabCandidate *document;
  CachetLabCandidate *pdf;

  g_assert_no_error (error);
  candidates = cachet_lab_find_in_message (message);
  g_assert_cmpuint (candidates->len, ==, 3);
  body = g_ptr_array_index (candidates, 0);
  document = g_ptr_array_index (candidates, 1);
  pdf = g_ptr_array_index (candidates, 2);

  g_assert_cmpint (body->format, ==, CACHET_LAB_FORMAT_HPRIM_NET);
  g_assert_cmpstr (body->file_name, ==, "message.txt");
  /* The bytes are the sender's: Latin-1, not converted. */
  g_assert_nonnull (memchr (g_bytes_get_data (body->bytes, NULL), 0xE9, g_bytes_get_size (body->bytes)));
  reports = cachet_lab_parse (body->bytes, body->format, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cachet_lab_patient_get_given_names (cachet_lab_report_get_patient (g_ptr_array_index (reports, 0))),
                   ==, "Hélène");

  g_assert_cmpint (document->format, ==, CACHET_LAB_FORMAT_CDA);
  g_assert_cmpstr (document->file_name, ==, "DOC0001");
  g_assert_cmpmem (g_bytes_get_data (document->bytes, NULL), g_bytes_get_size (document->bytes), cda, strlen (cda));
  g_assert_cmpint (pdf->format, ==, CACHET_LAB_FORMAT_PDF);
  g_assert_true (cachet_mime_find_part (g_mime_message_get_mime_part (message), pdf->part_index) != NULL);
}

int
main (int    argc,
      char **argv)
{
  cachet_test_init (&argc, &argv);
  cachet_mime_init ();

  g_test_add_func ("/labs/dates", test_dates);
  g_test_add_func ("/labs/charset/detection", test_charset_detection);
  g_test_add_func ("/labs/charset/override", test_charset_override);
  g_test_add_func ("/labs/hprim-net/generated", test_hprim_net_generated);
  g_test_add_func ("/labs/hprim-net/partial", test_hprim_net_partial);
  g_test_add_func ("/labs/hprim-net/rejects-noise", test_hprim_net_rejects_noise);
  g_test_add_func ("/labs/hprim-sante/generated", test_hprim_sante_generated);
  g_test_add_func ("/labs/hprim-sante/delimiters", test_hprim_sante_delimiters);
  g_test_add_func ("/labs/hl7/generated", test_hl7_generated);
  g_test_add_func ("/labs/hl7/not-a-result", test_hl7_not_a_result);
  g_test_add_func ("/labs/cda/generated", test_cda_generated);
  g_test_add_func ("/labs/cda/refuses-doctype", test_cda_refuses_doctype);
  g_test_add_func ("/labs/samples/hprim-net", test_samples_hprim_net);
  g_test_add_func ("/labs/samples/hl7", test_samples_hl7);
  g_test_add_func ("/labs/samples/cda", test_samples_cda);
  g_test_add_func ("/labs/samples/xdm", test_samples_xdm);
  g_test_add_func ("/labs/samples/details", test_samples_details);
  g_test_add_func ("/labs/xdm/generated", test_xdm_generated);
  g_test_add_func ("/labs/xdm/hostile", test_hostile_archives);
  g_test_add_func ("/labs/detect/message", test_find_in_message);

  return g_test_run ();
}
