/* cachet-directory-update.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cachet-directory-error.h"
#include "cachet-directory-import-private.h"
#include "cachet-directory-update-private.h"

/* Downloads the extract and imports it. Next to the database:
 *
 *   download.ini   where the last good extract came from, and the validators
 *                  (ETag, Last-Modified) the server gave with it
 *   <name>         that extract, as downloaded (the last good copy): kept so
 *                  that the directory can be imported again offline
 *   <name>.part    a download in progress, imported before it replaces the
 *                  last good copy
 *
 * The validators make the next request conditional: the publisher's extract
 * changes once a day, and an unchanged one costs a 304. They are saved only
 * once an extract has been imported, so a download that fails to import is
 * fetched again next time. */

#define STATE_FILE        "download.ini"
#define STATE_GROUP       "download"
#define READ_CHUNK_BYTES  (64 * 1024)
/* The zip is about 20 MB, its text about 90 MB; this stops a runaway server. */
#define MAX_DOWNLOAD_BYTES (G_GUINT64_CONSTANT (1) << 30)
#define MAX_NAME_BYTES    200
#define TIMEOUT_S         30
#define DEFAULT_NAME      "Extraction_Correspondance_MSSante.zip"

/* The download is the first half of the progress, the import the second. */
typedef struct
{
  CachetDirectoryProgressFunc progress;
  gpointer                    progress_data;
} Progress;

static void
report_import_progress (double   fraction,
                        gpointer data)
{
  Progress *progress = data;

  progress->progress (0.5 + fraction / 2, progress->progress_data);
}

/* A name from the server becomes a plain file name in our folder: no path,
 * no hidden file, nothing but letters, digits, '.', '-' and '_'. */
static char *
safe_file_name (const char *name)
{
  g_autofree char *base = NULL;
  GString *safe;

  if (name == NULL || name[0] == '\0')
    return g_strdup (DEFAULT_NAME);
  base = g_path_get_basename (name);
  safe = g_string_new (NULL);
  for (const char *p = base; *p != '\0' && safe->len < MAX_NAME_BYTES; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (*p == '.' && safe->len > 0))
        g_string_append_c (safe, *p);
    }
  if (safe->len == 0 || g_str_equal (safe->str, STATE_FILE) || g_str_has_suffix (safe->str, ".part")
      || g_str_has_suffix (safe->str, ".sqlite"))
    {
      g_string_free (safe, TRUE);
      return g_strdup (DEFAULT_NAME);
    }
  return g_string_free (safe, FALSE);
}

/* The publisher names the extract in Content-Disposition; the name carries
 * the time it was made. */
static char *
response_file_name (SoupMessage *message)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *disposition = NULL;
  GUri *uri = soup_message_get_uri (message);
  g_autofree char *from_path = NULL;

  if (soup_message_headers_get_content_disposition (soup_message_get_response_headers (message),
                                                    &disposition, &params)
      && g_hash_table_lookup (params, "filename") != NULL)
    return safe_file_name (g_hash_table_lookup (params, "filename"));

  from_path = g_path_get_basename (g_uri_get_path (uri));
  return safe_file_name (g_str_equal (from_path, "/") ? NULL : from_path);
}

static gboolean
set_errno_error (GError     **error,
                 const char  *what)
{
  int saved_errno = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
               what, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
copy_body (GInputStream  *body,
           const char    *path,
           goffset        length,
           Progress      *progress,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) output = NULL;
  g_autofree char *buffer = g_malloc (READ_CHUNK_BYTES);
  guint64 received = 0;
  double last_fraction = 0;
  gssize n;

  output = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, error);
  if (output == NULL)
    return FALSE;

  while ((n = g_input_stream_read (body, buffer, READ_CHUNK_BYTES, cancellable, error)) > 0)
    {
      received += (guint64) n;
      if (received > MAX_DOWNLOAD_BYTES)
        {
          g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TOO_LARGE,
                       _("The server sent more than %s: it is not an Annuaire Santé extract."),
                       "1 GB");
          return FALSE;
        }
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (output), buffer, (gsize) n, NULL,
                                      cancellable, error))
        return FALSE;
      if (progress->progress != NULL && length > 0)
        {
          double fraction = MIN (1.0, (double) received / (double) length);

          if (fraction - last_fraction >= 0.01)
            {
              last_fraction = fraction;
              progress->progress (fraction / 2, progress->progress_data);
            }
        }
    }
  if (n < 0)
    return FALSE;
  if (length > 0 && received != (guint64) length)
    {
      g_set_error_literal (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_TRUNCATED,
                           _("The download stopped before the end of the extract: try again later."));
      return FALSE;
    }

  return g_output_stream_close (G_OUTPUT_STREAM (output), cancellable, error)
         && cachet_directory_fsync_path (path, FALSE, error);
}

static gboolean
save_state (const char  *state_path,
            const char  *url,
            SoupMessage *message,
            const char  *name,
            GError     **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *etag = soup_message_headers_get_one (headers, "ETag");
  const char *last_modified = soup_message_headers_get_one (headers, "Last-Modified");
  g_autoptr(GKeyFile) state = g_key_file_new ();

  g_key_file_set_string (state, STATE_GROUP, "url", url);
  g_key_file_set_string (state, STATE_GROUP, "file", name);
  if (etag != NULL)
    g_key_file_set_string (state, STATE_GROUP, "etag", etag);
  if (last_modified != NULL)
    g_key_file_set_string (state, STATE_GROUP, "last-modified", last_modified);
  return g_key_file_save_to_file (state, state_path, error);
}

/* Asks only for a newer extract than the one imported, when there is one
 * and it came from the same place. */
static void
add_validators (SoupMessage *message,
                const char  *db_path,
                const char  *dir,
                GKeyFile    *state,
                const char  *url)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  g_autofree char *previous_url = g_key_file_get_string (state, STATE_GROUP, "url", NULL);
  g_autofree char *file = g_key_file_get_string (state, STATE_GROUP, "file", NULL);
  g_autofree char *etag = g_key_file_get_string (state, STATE_GROUP, "etag", NULL);
  g_autofree char *last_modified = g_key_file_get_string (state, STATE_GROUP, "last-modified", NULL);
  g_autofree char *last_good = file != NULL ? g_build_filename (dir, file, NULL) : NULL;

  if (g_strcmp0 (previous_url, url) != 0 || last_good == NULL
      || !g_file_test (last_good, G_FILE_TEST_IS_REGULAR) || !g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    return;
  if (etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", etag);
  if (last_modified != NULL)
    soup_message_headers_replace (headers, "If-Modified-Since", last_modified);
}

/**
 * cachet_directory_update_run:
 * @db_path: the directory database
 * @url: where the extract is published
 * @progress: (nullable): called in this thread as it goes
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @not_modified: (out): set when the server said the extract has not changed
 * @error: return location for a #GError
 *
 * Blocks: call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): what was imported; %NULL on error, and
 *   without error when @not_modified
 */
CachetDirectoryImportReport *
cachet_directory_update_run (const char                   *db_path,
                             const char                   *url,
                             CachetDirectoryProgressFunc   progress_func,
                             gpointer                      progress_data,
                             GCancellable                 *cancellable,
                             gboolean                     *not_modified,
                             GError                      **error)
{
  g_autofree char *dir = g_path_get_dirname (db_path);
  g_autofree char *state_path = g_build_filename (dir, STATE_FILE, NULL);
  g_autoptr(GKeyFile) state = g_key_file_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GFile) part_file = NULL;
  g_autofree char *previous_file = NULL;
  g_autofree char *name = NULL;
  g_autofree char *part_path = NULL;
  g_autofree char *last_good_path = NULL;
  Progress progress = { progress_func, progress_data };
  guint status;

  *not_modified = FALSE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_errno_error (error, _("Cannot create the folder of the directory"));
      return NULL;
    }
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a web address: give the address of the extract."), url);
      return NULL;
    }
  /* A missing or damaged state file only costs a full download. */
  if (g_key_file_load_from_file (state, state_path, G_KEY_FILE_NONE, NULL))
    add_validators (message, db_path, dir, state, url);
  previous_file = g_key_file_get_string (state, STATE_GROUP, "file", NULL);

  session = soup_session_new_with_options ("timeout", TIMEOUT_S,
                                           "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                           NULL);
  body = soup_session_send (session, message, cancellable, error);
  if (body == NULL)
    return NULL;

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      *not_modified = TRUE;
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_FAILED,
                   _("The server of the extract answered “%u %s”: check the address, or try again later."),
                   status, soup_message_get_reason_phrase (message));
      return NULL;
    }

  name = response_file_name (message);
  part_path = g_strconcat (dir, G_DIR_SEPARATOR_S, name, ".part", NULL);
  last_good_path = g_build_filename (dir, name, NULL);
  part_file = g_file_new_for_path (part_path);
  if (!copy_body (body, part_path,
                  soup_message_headers_get_content_length (soup_message_get_response_headers (message)),
                  &progress, cancellable, error))
    {
      g_unlink (part_path);
      return NULL;
    }

  report = cachet_directory_import_build (db_path, part_file,
                                          progress_func != NULL ? report_import_progress : NULL,
                                          &progress, cancellable, error);
  if (report == NULL)
    {
      g_unlink (part_path);
      return NULL;
    }

  /* The index is in place: the download becomes the last good copy. */
  if (g_rename (part_path, last_good_path) != 0)
    {
      set_errno_error (error, _("Cannot keep the downloaded extract"));
      g_unlink (part_path);
      return NULL;
    }
  if (previous_file != NULL && !g_str_equal (previous_file, name))
    {
      g_autofree char *safe_previous = safe_file_name (previous_file);
      g_autofree char *previous_path = g_build_filename (dir, safe_previous, NULL);

      /* Only a name this code could have written: never another file. */
      if (g_str_equal (safe_previous, previous_file))
        g_unlink (previous_path);
    }
  if (!save_state (state_path, url, message, name, error)
      || !cachet_directory_fsync_path (dir, TRUE, error))
    return NULL;

  return g_steal_pointer (&report);
}
