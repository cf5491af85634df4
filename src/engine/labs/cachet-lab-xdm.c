/* cachet-lab-xdm.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n.h>
#include <libxml/xpathInternals.h>
#include <string.h>

#include "cachet-lab-cda-private.h"
#include "cachet-labs-error.h"
#include "cachet-labs-parsers-private.h"
#include "cachet-labs-private.h"

/* IHE XDM packages (`IHE_XDM.ZIP`). Nothing is ever extracted to disk: the
 * entries are read into memory under bounds, their names only used to find
 * documents, so a hostile name cannot reach the file system. Names that no
 * honest package has (traversal, links, control characters, collisions)
 * refuse the whole package, so the user hears about it. */

#define MAX_ENTRIES       1000
#define MAX_ENTRY_SIZE    (32 * 1024 * 1024)
#define MAX_TOTAL_SIZE    (128 * 1024 * 1024)
#define MAX_RATIO         200
#define MAX_NAME_BYTES    1024
#define METADATA_NAME     "metadata.xml"
#define RIM_NAMESPACE     "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"

typedef struct archive ArchiveRead;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArchiveRead, archive_read_free)

/* Names are escaped: they may hold anything. A macro keeps the format a
 * literal the compiler checks. */
#define SET_UNSAFE(error, format, name) \
  G_STMT_START { \
    g_autofree char *shown_ = g_strescape ((name), NULL); \
    g_set_error ((error), CACHET_LABS_ERROR, CACHET_LABS_ERROR_UNSAFE, (format), shown_); \
  } G_STMT_END

/* Backslashes are folded (some senders zip on Windows); `.` and empty
 * components vanish. */
static char *
normalise_entry_name (const char  *name,
                      GError     **error)
{
  g_autofree char *slashed = NULL;
  g_auto(GStrv) components = NULL;
  g_autoptr(GString) normal = g_string_new (NULL);

  if (!g_utf8_validate (name, -1, NULL) || strlen (name) > MAX_NAME_BYTES)
    {
      SET_UNSAFE (error, _("The package has an entry with an invalid name (“%s”); it was refused"), name);
      return NULL;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Control characters and bidirectional overrides disguise names. */
      if (g_unichar_iscntrl (c) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        {
          SET_UNSAFE (error, _("The package has an entry whose name hides characters (“%s”); it was refused"), name);
          return NULL;
        }
    }
  slashed = g_strdelimit (g_strdup (name), "\\", '/');
  if (slashed[0] == '/')
    {
      SET_UNSAFE (error, _("The package has an entry with an absolute path (“%s”); it was refused"), name);
      return NULL;
    }
  components = g_strsplit (slashed, "/", -1);
  for (guint i = 0; components[i] != NULL; i++)
    {
      if (g_str_equal (components[i], ".."))
        {
          SET_UNSAFE (error, _("The package has an entry that points outside it (“%s”); it was refused"), name);
          return NULL;
        }
      if (*components[i] == '\0' || g_str_equal (components[i], "."))
        continue;
      if (normal->len > 0)
        g_string_append_c (normal, '/');
      g_string_append (normal, components[i]);
    }
  return g_string_free (g_steal_pointer (&normal), FALSE);
}

/* Case and Unicode normalisation fold names that would land on one file
 * on some file systems. */
static char *
collision_key (const char *name)
{
  g_autofree char *composed = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

  return g_utf8_casefold (composed, -1);
}

static gboolean
is_archive (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return size >= 4 && (memcmp (data, "PK\x03\x04", 4) == 0 || memcmp (data, "\x1F\x8B", 2) == 0
                       || memcmp (data, "7z\xBC\xAF", 4) == 0 || memcmp (data, "Rar!", 4) == 0);
}

static GBytes *
read_entry (struct archive  *archive,
            const char      *name,
            gsize           *total,
            gsize            budget,
            GError         **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[64 * 1024];

  for (;;)
    {
      la_ssize_t n = archive_read_data (archive, buffer, sizeof buffer);

      if (n == 0)
        break;
      if (n < 0)
        {
          g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                       _("The package is damaged: %s"), archive_error_string (archive));
          return NULL;
        }
      *total += (gsize) n;
      if (data->len + (gsize) n > MAX_ENTRY_SIZE || *total > budget)
        {
          g_autofree char *shown = g_strescape (name, NULL);

          g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                       _("The package unpacks to too much data (at “%s”); it was refused as a possible zip bomb"),
                       shown);
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Reads every regular entry into @entries (normalised name → bytes). */
static gboolean
read_entries (GBytes      *original,
              GHashTable  *entries,
              GError     **error)
{
  g_autoptr(ArchiveRead) archive = archive_read_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize size;
  const void *data = g_bytes_get_data (original, &size);
  gsize budget = MIN ((gsize) MAX_TOTAL_SIZE, MAX ((gsize) 1024 * 1024, size * MAX_RATIO));
  gsize total = 0;
  guint count = 0;
  struct archive_entry *entry;
  int status;

  archive_read_support_format_zip (archive);
  if (archive_read_open_memory (archive, data, size) != ARCHIVE_OK)
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                   _("The package is not a readable zip archive: %s"), archive_error_string (archive));
      return FALSE;
    }

  while ((status = archive_read_next_header (archive, &entry)) == ARCHIVE_OK)
    {
      const char *raw_name = archive_entry_pathname (entry);
      g_autofree char *name = NULL;
      g_autofree char *key = NULL;
      GBytes *bytes;

      if (++count > MAX_ENTRIES)
        {
          g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_TOO_LARGE,
                       _("The package has more than %d entries; it was refused"), MAX_ENTRIES);
          return FALSE;
        }
      if (raw_name == NULL)
        {
          SET_UNSAFE (error, _("The package has an entry with an invalid name (“%s”); it was refused"), "");
          return FALSE;
        }
      if ((name = normalise_entry_name (raw_name, error)) == NULL)
        return FALSE;
      if (archive_entry_filetype (entry) == AE_IFDIR)
        continue;
      if (archive_entry_filetype (entry) != AE_IFREG || archive_entry_hardlink (entry) != NULL)
        {
          SET_UNSAFE (error, _("The package has an entry that is a link (“%s”); it was refused"), raw_name);
          return FALSE;
        }
      key = collision_key (name);
      if (g_hash_table_contains (seen, key))
        {
          SET_UNSAFE (error, _("The package has two entries named alike (“%s”); it was refused"), raw_name);
          return FALSE;
        }
      g_hash_table_add (seen, g_steal_pointer (&key));
      if ((bytes = read_entry (archive, raw_name, &total, budget, error)) == NULL)
        return FALSE;
      if (is_archive (bytes))
        {
          g_bytes_unref (bytes);
          {
            SET_UNSAFE (error, _("The package holds another archive (“%s”); nested archives are not opened"), raw_name);
            return FALSE;
          }
        }
      g_hash_table_insert (entries, g_steal_pointer (&name), bytes);
    }
  if (status != ARCHIVE_EOF)
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                   _("The package is damaged: %s"), archive_error_string (archive));
      return FALSE;
    }
  return TRUE;
}

static GBytes *
lookup_case_insensitive (GHashTable *entries,
                         const char *name)
{
  g_autofree char *wanted = collision_key (name);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *candidate = collision_key (key);

      if (g_str_equal (candidate, wanted))
        return value;
    }
  return NULL;
}

static char *
slot_value (xmlXPathContext *context,
            xmlNode         *object,
            const char      *slot)
{
  g_autofree char *expression = g_strdup_printf ("rim:Slot[@name='%s']/rim:ValueList/rim:Value[1]", slot);

  return cachet_labs_xpath_string (context, object, expression);
}

static gboolean
check_document (GBytes      *document,
                const char  *uri,
                const char  *size_text,
                const char  *hash,
                GError     **error)
{
  g_autofree char *actual_hash = NULL;
  guint64 size;

  if (size_text != NULL
      && (!g_ascii_string_to_unsigned (size_text, 10, 0, G_MAXUINT64, &size, NULL)
          || size != g_bytes_get_size (document)))
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INTEGRITY,
                   _("The document “%s” does not have the size its package announces; it may be damaged or altered"), uri);
      return FALSE;
    }
  actual_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, document);
  if (hash != NULL && g_ascii_strcasecmp (hash, actual_hash) != 0)
    {
      g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INTEGRITY,
                   _("The document “%s” does not match the hash its package announces; it may be damaged or altered"), uri);
      return FALSE;
    }
  return TRUE;
}

static void
apply_metadata_identity (CachetLabReport *report,
                         const char      *patient_id)
{
  CachetLabPatient *patient = cachet_lab_report_get_patient (report);
  g_auto(GStrv) components = NULL;
  g_auto(GStrv) authority = NULL;

  /* The CDA header is the reference for identity; the metadata only fills
   * what it lacks, never qualified. */
  if (patient_id == NULL || cachet_lab_patient_get_ins (patient) != NULL)
    return;
  components = cachet_labs_split (patient_id, '^', 5);
  authority = cachet_labs_split (cachet_labs_field (components, 3), '&', 3);
  if (components[0] != NULL && *components[0] != '\0' && !g_str_equal (components[0], "null"))
    cachet_lab_patient_set_ins (patient, components[0], cachet_labs_field (authority, 1), FALSE);
}

static gboolean
read_subset (GBytes      *original,
             GHashTable  *entries,
             const char  *metadata_name,
             GPtrArray   *reports,
             GError     **error)
{
  g_autofree char *prefix = g_strndup (metadata_name, strlen (metadata_name) - strlen (METADATA_NAME));
  g_autoptr(xmlDoc) doc = cachet_labs_read_xml (g_hash_table_lookup (entries, metadata_name), error);
  g_autoptr(xmlXPathContext) context = NULL;
  g_autoptr(xmlXPathObject) objects = NULL;
  g_autoptr(GPtrArray) pdfs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint first_report = reports->len;
  g_autofree char *patient_id = NULL;

  if (doc == NULL)
    return FALSE;
  context = xmlXPathNewContext (doc);
  xmlXPathRegisterNs (context, (const xmlChar *) "rim", (const xmlChar *) RIM_NAMESPACE);
  objects = xmlXPathEvalExpression ((const xmlChar *) "//rim:ExtrinsicObject", context);
  for (int i = 0; objects != NULL && objects->nodesetval != NULL && i < objects->nodesetval->nodeNr; i++)
    {
      xmlNode *object = objects->nodesetval->nodeTab[i];
      g_autofree char *uri = slot_value (context, object, "URI");
      g_autofree char *size = slot_value (context, object, "size");
      g_autofree char *hash = slot_value (context, object, "hash");
      g_autofree char *path = NULL;
      g_autoptr(GPtrArray) documents = NULL;
      GBytes *document;

      if (patient_id == NULL)
        patient_id = slot_value (context, object, "sourcePatientId");
      if (uri == NULL)
        continue;
      if (strchr (uri, '/') != NULL || strchr (uri, '\\') != NULL || strchr (uri, ':') != NULL
          || g_str_equal (uri, "..") || g_str_equal (uri, "."))
        {
          SET_UNSAFE (error, _("The package metadata points outside the package (“%s”); it was refused"), uri);
          return FALSE;
        }
      path = g_strconcat (prefix, uri, NULL);
      if ((document = lookup_case_insensitive (entries, path)) == NULL)
        {
          g_set_error (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INTEGRITY,
                       _("The document “%s” listed in the package is missing from it"), uri);
          return FALSE;
        }
      if (!check_document (document, uri, size, hash, error))
        return FALSE;
      if (g_bytes_get_size (document) > 4 && memcmp (g_bytes_get_data (document, NULL), "%PDF", 4) == 0)
        {
          g_ptr_array_add (pdfs, g_bytes_ref (document));
          continue;
        }
      /* Documents other than CDA (stylesheets, text) stay in the filed zip. */
      documents = cachet_lab_cda_parse (document, original, CACHET_LAB_FORMAT_XDM, NULL);
      if (documents != NULL)
        g_ptr_array_extend_and_steal (reports, g_steal_pointer (&documents));
    }

  if (reports->len == first_report)
    g_ptr_array_add (reports, cachet_lab_report_new (CACHET_LAB_FORMAT_XDM, original, NULL));
  for (guint i = first_report; i < reports->len; i++)
    {
      CachetLabReport *report = g_ptr_array_index (reports, i);

      apply_metadata_identity (report, patient_id);
      if (cachet_lab_report_get_pdf (report) == NULL && pdfs->len > 0)
        cachet_lab_report_set_pdf (report, g_ptr_array_index (pdfs, 0));
    }
  return TRUE;
}

GPtrArray *
cachet_lab_xdm_parse (GBytes  *original,
                      GError **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) names = NULL;

  if (!read_entries (original, entries, error))
    return NULL;

  /* Every subset counts; some packages lose the separator before
   * METADATA.XML (`SUBSET01METADATA.xml`), so the name only has to end so. */
  names = g_list_sort (g_hash_table_get_keys (entries), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gsize length = strlen (name);

      if (length >= strlen (METADATA_NAME)
          && g_ascii_strcasecmp (name + length - strlen (METADATA_NAME), METADATA_NAME) == 0
          && !read_subset (original, entries, name, reports, error))
        return NULL;
    }

  if (reports->len == 0)
    {
      g_set_error_literal (error, CACHET_LABS_ERROR, CACHET_LABS_ERROR_INVALID,
                           _("The package has no METADATA.XML; it is not an IHE XDM package"));
      return NULL;
    }
  return g_steal_pointer (&reports);
}
