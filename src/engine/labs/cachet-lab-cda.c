/* cachet-lab-cda.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <string.h>

#include "cachet-lab-cda-private.h"
#include "cachet-labs-error.h"
#include "cachet-labs-parsers-private.h"
#include "cachet-labs-private.h"

/* CDA R2 documents (CR-BIO and others). The document is read with the
 * network off, no entity substitution and no DTD; a document that carries
 * a DOCTYPE is refused outright, since a CDA never needs one and XXE and
 * entity bombs all start there. */

#define CDA_NAMESPACE "urn:hl7-org:v3"
#define LAB_NAMESPACE "urn:oid:1.3.6.1.4.1.19376.1.3.2"
#define MAX_OBSERVATIONS 10000

static const char *const ins_oids[] = {
  "1.2.250.1.213.1.4.8",
  "1.2.250.1.213.1.4.9",
  "1.2.250.1.213.1.4.10",
  "1.2.250.1.213.1.4.11",
};

/**
 * cachet_labs_read_xml:
 *
 * Returns: (transfer full) (nullable): the document, read safely
 */
xmlDoc *
cachet_labs_read_xml (GBytes  *bytes,
                      GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr(xmlDoc) doc = NULL;

  if (size == 0)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The XML document is empty"));
      return NULL;
    }
  if (size > CACHET_LABS_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                           _("The XML document is too large to be read"));
      return NULL;
    }
  /* Checked on the bytes, before libxml2 sees any declaration: entity
   * bombs and external entities are stopped at the door. */
  if (memmem (data, size, "<!DOCTYPE", strlen ("<!DOCTYPE")) != NULL)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNSAFE,
                           _("The XML document declares a DOCTYPE, which lab documents never need; it was refused as unsafe"));
      return NULL;
    }
  doc = xmlReadMemory (data, (int) size, NULL, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The XML document is malformed; ask the sender to send it again"));
      return NULL;
    }
  return g_steal_pointer (&doc);
}

/**
 * cachet_labs_xpath_string:
 *
 * Returns: (transfer full) (nullable): the string value of @expression
 *   evaluated at @node, trimmed and bounded; %NULL when empty
 */
char *
cachet_labs_xpath_string (xmlXPathContext *context,
                          xmlNode         *node,
                          const char      *expression)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expression);
  g_autoptr(xmlXPathObject) result = NULL;

  context->node = node;
  result = xmlXPathEvalExpression ((const xmlChar *) wrapped, context);
  if (result == NULL || result->type != XPATH_STRING || result->stringval == NULL)
    return NULL;
  return cachet_labs_strdup_nonempty ((const char *) result->stringval);
}

/* Like cachet_labs_xpath_string(), without the length bound: base64
 * payloads. */
static GBytes *
xpath_base64 (xmlXPathContext *context,
              const char      *expression)
{
  g_autofree char *wrapped = g_strdup_printf ("string(%s)", expression);
  g_autoptr(xmlXPathObject) result = NULL;
  guchar *data;
  gsize size = 0;

  context->node = NULL;
  result = xmlXPathEvalExpression ((const xmlChar *) wrapped, context);
  if (result == NULL || result->type != XPATH_STRING || result->stringval == NULL
      || result->stringval[0] == '\0')
    return NULL;
  data = g_base64_decode ((const char *) result->stringval, &size);
  return g_bytes_new_take (data, size);
}

static char *
join_id (char *root,
         char *extension)
{
  g_autofree char *owned_root = root;
  g_autofree char *owned_extension = extension;

  if (owned_extension == NULL)
    return g_steal_pointer (&owned_root);
  return g_strdup_printf ("%s^%s", owned_root != NULL ? owned_root : "", owned_extension);
}

static char *
read_id (xmlXPathContext *context,
         const char      *path)
{
  g_autofree char *root = g_strconcat (path, "/@root", NULL);
  g_autofree char *extension = g_strconcat (path, "/@extension", NULL);

  return join_id (cachet_labs_xpath_string (context, NULL, root),
                  cachet_labs_xpath_string (context, NULL, extension));
}

static char *
xpath_first (xmlXPathContext *context,
             xmlNode         *node,
             const char      *preferred,
             const char      *fallback)
{
  char *value = cachet_labs_xpath_string (context, node, preferred);

  return value != NULL || fallback == NULL ? value : cachet_labs_xpath_string (context, node, fallback);
}

static char *
xpath_date (xmlXPathContext *context,
            const char      *preferred,
            const char      *fallback)
{
  g_autofree char *value = xpath_first (context, NULL, preferred, fallback);

  return cachet_labs_parse_date (value);
}

#define PATIENT "/cda:ClinicalDocument/cda:recordTarget/cda:patientRole/cda:patient"

static void
read_patient (CachetLabPatient *patient,
              xmlXPathContext  *context)
{
  g_autofree char *family = xpath_first (context, NULL, PATIENT "/cda:name/cda:family[@qualifier='BR']",
                                         PATIENT "/cda:name/cda:family");
  g_autofree char *given = xpath_first (context, NULL, PATIENT "/cda:name/cda:given[not(@qualifier)]",
                                        PATIENT "/cda:name/cda:given");
  g_autofree char *birth = xpath_date (context, PATIENT "/cda:birthTime/@value", NULL);
  g_autofree char *sex = cachet_labs_xpath_string (context, NULL, PATIENT "/cda:administrativeGenderCode/@code");

  for (gsize i = 0; i < G_N_ELEMENTS (ins_oids); i++)
    {
      g_autofree char *expression = g_strdup_printf ("/cda:ClinicalDocument/cda:recordTarget/cda:patientRole"
                                                     "/cda:id[@root='%s']/@extension", ins_oids[i]);
      g_autofree char *ins = cachet_labs_xpath_string (context, NULL, expression);

      if (ins != NULL)
        {
          /* A production root goes with the identity traits: a qualified
           * INS by the CI-SIS rules; test and demo roots never are. */
          cachet_lab_patient_set_ins (patient, ins, ins_oids[i], TRUE);
          break;
        }
    }
  cachet_lab_patient_set_family_name (patient, family);
  cachet_lab_patient_set_given_names (patient, given);
  cachet_lab_patient_set_birth_date (patient, birth);
  if (sex != NULL)
    cachet_lab_patient_set_sex (patient, sex[0]);
}

#define DOCUMENT "/cda:ClinicalDocument"
#define AUTHOR_ORGANIZATION DOCUMENT "/cda:author/cda:assignedAuthor/cda:representedOrganization"
#define CUSTODIAN_ORGANIZATION \
  DOCUMENT "/cda:custodian/cda:assignedCustodian/cda:representedCustodianOrganization"
#define PRESCRIBER \
  DOCUMENT "/cda:participant[@typeCode='REF']/cda:associatedEntity/cda:associatedPerson/cda:name"
#define SAMPLER DOCUMENT "/cda:participant[@typeCode='PRF'][cda:functionCode/@code='PRELV']"
#define RANGE "cda:referenceRange/cda:observationRange/cda:value"
#define ENCOUNTER DOCUMENT "/cda:componentOf/cda:encompassingEncounter"

static void
read_header (CachetLabReport *report,
             xmlXPathContext *context)
{
  g_autofree char *lab = xpath_first (context, NULL, AUTHOR_ORGANIZATION "/cda:name",
                                      CUSTODIAN_ORGANIZATION "/cda:name");
  g_autofree char *prescriber_family = cachet_labs_xpath_string (context, NULL, PRESCRIBER "/cda:family");
  g_autofree char *prescriber_given = cachet_labs_xpath_string (context, NULL, PRESCRIBER "/cda:given");
  g_autofree char *sampling = xpath_date (context, SAMPLER "/cda:time/cda:high/@value",
                                          ENCOUNTER "/cda:effectiveTime/cda:low/@value");
  g_autofree char *date = xpath_date (context, DOCUMENT "/cda:effectiveTime/@value", NULL);
  g_autofree char *id = read_id (context, DOCUMENT "/cda:id");
  g_autofree char *set_id = read_id (context, DOCUMENT "/cda:setId");
  g_autofree char *replaces = read_id (context, DOCUMENT "/cda:relatedDocument[@typeCode='RPLC']"
                                                "/cda:parentDocument/cda:id");
  g_autofree char *version = cachet_labs_xpath_string (context, NULL, DOCUMENT "/cda:versionNumber/@value");
  g_autofree char *status = cachet_labs_xpath_string (context, NULL, DOCUMENT "/cda:documentationOf"
                                                      "/cda:serviceEvent/lab:statusCode/@code");
  g_autofree char *title = cachet_labs_xpath_string (context, NULL, DOCUMENT "/cda:title");
  guint64 version_number = 0;

  cachet_lab_report_set_lab (report, lab);
  if (prescriber_family != NULL)
    {
      g_autofree char *prescriber = g_strjoin (" ", prescriber_family, prescriber_given, NULL);

      cachet_lab_report_set_prescriber (report, prescriber);
    }
  cachet_lab_report_set_sampling_date (report, sampling);
  cachet_lab_report_set_report_date (report, date);
  cachet_lab_report_set_report_id (report, id);
  cachet_lab_report_set_set_id (report, set_id);
  cachet_lab_report_set_replaces (report, replaces);
  if (version != NULL && g_ascii_string_to_unsigned (version, 10, 1, G_MAXUINT, &version_number, NULL))
    cachet_lab_report_set_version (report, (guint) version_number);
  if (replaces != NULL || version_number > 1)
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_REPLACEMENT);
  else if (status != NULL && g_str_equal (status, "active"))
    cachet_lab_report_set_status (report, CACHET_LAB_REPORT_STATUS_PARTIAL);
  if (title != NULL)
    cachet_lab_report_append_text (report, title);
}

static gboolean
read_results (CachetLabReport *report,
              xmlXPathContext *context,
              GError         **error)
{
  g_autoptr(xmlXPathObject) observations = NULL;
  int n;

  context->node = NULL;
  observations = xmlXPathEvalExpression ((const xmlChar *) "//cda:observation[cda:value]", context);
  if (observations == NULL || observations->nodesetval == NULL)
    return TRUE;
  n = observations->nodesetval->nodeNr;
  if (n > MAX_OBSERVATIONS)
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                   _("The document holds more than %d results; it was not read"), MAX_OBSERVATIONS);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      xmlNode *node = observations->nodesetval->nodeTab[i];
      g_autofree char *code = cachet_labs_xpath_string (context, node, "cda:code/@code");
      g_autofree char *label = xpath_first (context, node, "cda:code/@displayName", "cda:code/cda:originalText");
      g_autofree char *value = xpath_first (context, node, "cda:value/@value", "cda:value/@displayName");
      g_autofree char *unit = cachet_labs_xpath_string (context, node, "cda:value/@unit");
      g_autofree char *low = cachet_labs_xpath_string (context, node, RANGE "/cda:low/@value");
      g_autofree char *high = cachet_labs_xpath_string (context, node, RANGE "/cda:high/@value");
      g_autofree char *flag = cachet_labs_xpath_string (context, node, "cda:interpretationCode/@code");
      g_autofree char *comment = cachet_labs_xpath_string (context, node, "cda:text");
      g_autoptr(CachetLabResult) result = NULL;

      if (value == NULL)
        value = cachet_labs_xpath_string (context, node, "cda:value");
      if (value == NULL)
        continue;
      result = cachet_lab_result_new (code, label, value, unit != NULL && !g_str_equal (unit, "1") ? unit : NULL);
      cachet_lab_result_set_reference (result, low, high);
      cachet_lab_result_set_flag (result, cachet_lab_flag_from_code (flag));
      cachet_lab_result_append_comment (result, comment);
      cachet_lab_report_add_result (report, result);
    }
  return TRUE;
}

static void
read_pdf (CachetLabReport *report,
          xmlXPathContext *context)
{
  g_autoptr(GBytes) pdf = xpath_base64 (context, "(//cda:nonXMLBody/cda:text[@mediaType='application/pdf']"
                                                 " | //cda:observationMedia/cda:value[@mediaType='application/pdf'])[1]");

  if (pdf != NULL && g_bytes_get_size (pdf) > 4 && memcmp (g_bytes_get_data (pdf, NULL), "%PDF", 4) == 0)
    cachet_lab_report_set_pdf (report, pdf);
}

/**
 * cachet_lab_cda_parse:
 * @xml: the CDA document
 * @original: the bytes to file: @xml itself, or the envelope it came in
 * @format: the format of @original
 */
GPtrArray *
cachet_lab_cda_parse (GBytes           *xml,
                      GBytes           *original,
                      CachetLabFormat   format,
                      GError          **error)
{
  g_autoptr(xmlDoc) doc = cachet_labs_read_xml (xml, error);
  g_autoptr(xmlXPathContext) context = NULL;
  g_autoptr(CachetLabReport) report = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  xmlNode *root;

  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (root->ns == NULL || !xmlStrEqual (root->ns->href, (const xmlChar *) CDA_NAMESPACE)
      || !xmlStrEqual (root->name, (const xmlChar *) "ClinicalDocument"))
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNRECOGNISED,
                           _("The XML document is not a CDA clinical document"));
      return NULL;
    }

  context = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (context, (const xmlChar *) "cda", (const xmlChar *) CDA_NAMESPACE);
  xmlXPathRegisterNs (context, (const xmlChar *) "lab", (const xmlChar *) LAB_NAMESPACE);
  /* libxml2 decoded the document from the charset it declares. */
  report = cachet_lab_report_new (format, original, doc->encoding != NULL ? (const char *) doc->encoding : "UTF-8");
  read_patient (cachet_lab_report_get_patient (report), context);
  read_header (report, context);
  if (!read_results (report, context, error))
    return NULL;
  read_pdf (report, context);

  reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (reports, g_steal_pointer (&report));
  return g_steal_pointer (&reports);
}
