/* cachet-lab-parser.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-lab-charset.h"
#include "cachet-lab-parser.h"
#include "cachet-labs-error.h"
#include "cachet-labs-parsers-private.h"
#include "cachet-labs-private.h"

/* Which format a file is in, from its bytes first: names and MIME types
 * in lab mail are unreliable (`.txt` HPRIM, `application/octet-stream`
 * zips). */

#define SNIFF_BYTES 4096

static gboolean
has_prefix_skipping_space (const char *data,
                           gsize       size,
                           const char *prefix)
{
  gsize i = 0;

  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;
  return size - i >= strlen (prefix) && memcmp (data + i, prefix, strlen (prefix)) == 0;
}

static gboolean
looks_like_cda (const char *data,
                gsize       size)
{
  g_autofree char *head = g_strndup (data, MIN (size, SNIFF_BYTES));

  return has_prefix_skipping_space (data, size, "<") && strstr (head, "ClinicalDocument") != NULL;
}

/**
 * cachet_lab_detect_format:
 * @filename: (nullable): the attachment or file name, a hint only
 *
 * Returns: the format of @bytes, or %CACHET_LAB_FORMAT_UNKNOWN
 */
CachetLabFormat
cachet_lab_detect_format (GBytes     *bytes,
                          const char *filename)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = NULL;
  g_autofree char *lower = filename != NULL ? g_ascii_strdown (filename, -1) : NULL;

  if (size == 0)
    return CACHET_LAB_FORMAT_UNKNOWN;
  if (size >= 4 && memcmp (data, "PK\x03\x04", 4) == 0)
    return CACHET_LAB_FORMAT_XDM;
  if (size >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return CACHET_LAB_FORMAT_PDF;
  if (has_prefix_skipping_space (data, size, "MSH"))
    return CACHET_LAB_FORMAT_HL7V2;
  if (has_prefix_skipping_space (data, size, "H") && size > 6 && !g_ascii_isalnum (data[1])
      && !g_ascii_isspace (data[1]))
    return CACHET_LAB_FORMAT_HPRIM_SANTE;
  if (looks_like_cda (data, size))
    return CACHET_LAB_FORMAT_CDA;

  /* HPRIM Net is text: decode a bounded head and look for its shape. */
  text = cachet_lab_charset_decode (bytes, NULL, NULL, NULL);
  if (text != NULL && cachet_lab_hprim_net_sniff (text))
    return CACHET_LAB_FORMAT_HPRIM_NET;
  if (lower != NULL && (g_str_has_suffix (lower, ".hpr") || g_str_has_suffix (lower, ".hpm")
                        || g_str_has_suffix (lower, ".hprim")))
    return CACHET_LAB_FORMAT_HPRIM_NET;
  return CACHET_LAB_FORMAT_UNKNOWN;
}

/**
 * cachet_lab_parse:
 * @format: from cachet_lab_detect_format()
 * @charset: (nullable): the charset to read text formats with (the
 *   sender's override), or %NULL to detect it
 *
 * Returns: (transfer full) (element-type CachetLabReport): the reports in
 *   @bytes, one per patient and report, or %NULL with an error
 */
GPtrArray *
cachet_lab_parse (GBytes           *bytes,
                  CachetLabFormat   format,
                  const char       *charset,
                  GError          **error)
{
  g_autofree char *text = NULL;
  const char *used_charset = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_bytes_get_size (bytes) > CACHET_LABS_MAX_FILE_SIZE)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                           _("The file is larger than 64 MiB; it is not read as a lab result"));
      return NULL;
    }

  switch (format)
    {
    case CACHET_LAB_FORMAT_HPRIM_NET:
    case CACHET_LAB_FORMAT_HPRIM_SANTE:
      if ((text = cachet_lab_charset_decode (bytes, charset, &used_charset, error)) == NULL)
        return NULL;
      return format == CACHET_LAB_FORMAT_HPRIM_NET
             ? cachet_lab_hprim_net_parse (bytes, text, used_charset, error)
             : cachet_lab_hprim_sante_parse (bytes, text, used_charset, error);
    case CACHET_LAB_FORMAT_HL7V2:
      return cachet_lab_hl7_parse (bytes, charset, error);
    case CACHET_LAB_FORMAT_CDA:
      return cachet_lab_cda_parse (bytes, bytes, CACHET_LAB_FORMAT_CDA, error);
    case CACHET_LAB_FORMAT_XDM:
      return cachet_lab_xdm_parse (bytes, error);
    case CACHET_LAB_FORMAT_PDF:
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNRECOGNISED,
                           _("A PDF alone carries no structured result; it is kept for a human to file"));
      return NULL;
    case CACHET_LAB_FORMAT_UNKNOWN:
    default:
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNRECOGNISED,
                           _("The file is in no lab result format Cachet reads (HPRIM, HL7, CDA, XDM)"));
      return NULL;
    }
}
