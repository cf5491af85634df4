/* cachet-attachment-cache.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cachet-attachment-cache.h"
#include "cachet-file-tree.h"
#include "cachet-message-render.h"
#include "cachet-paths.h"

/* Another application can only open an attachment from a file, so a copy is
 * written under the cache folder, each in a folder of its own with a random
 * name: two attachments of the same name never meet, and no name from a
 * message ever chooses where a file goes. Only the user can read the copies,
 * which are deleted after a day. */

static char *
cache_root (void)
{
  return g_build_filename (cachet_paths_get_cache_dir (), "open", NULL);
}

/**
 * cachet_attachment_cache_write:
 * @file_name: (nullable): the attachment's name, made safe again here
 * @data: its content
 * @error: return location for a #GError
 *
 * Writes a private copy of an attachment, to open it or drag it out. Blocks:
 * call it from a worker thread for large attachments.
 *
 * Returns: (transfer full) (nullable): the copy
 */
GFile *
cachet_attachment_cache_write (const char  *file_name,
                               GBytes      *data,
                               GError     **error)
{
  g_autofree char *root = cache_root ();
  g_autofree char *dir = NULL;
  g_autofree char *safe_name = cachet_message_render_safe_file_name (file_name);
  g_autofree char *path = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  dir = g_build_filename (root, "XXXXXX", NULL);
  if (g_mkdir_with_parents (root, 0700) != 0 || g_mkdtemp_full (dir, 0700) == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write a copy of the attachment: %s"), g_strerror (saved_errno));
      return NULL;
    }

  path = g_build_filename (dir, safe_name != NULL ? safe_name : "attachment", NULL);
  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  return g_file_new_for_path (path);
}

static void
clean_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GTimeSpan *max_age = task_data;
  g_autofree char *root = cache_root ();
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  gint64 oldest = g_get_real_time () / G_USEC_PER_SEC - *max_age / G_USEC_PER_SEC;
  const char *name;

  dir = g_dir_open (root, 0, &error);
  if (dir == NULL)
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_file_error (error->code),
                                 "%s", error->message);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      GStatBuf info;

      if (g_lstat (path, &info) != 0 || info.st_mtime >= oldest)
        continue;
      if (!cachet_file_tree_remove (path, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * cachet_attachment_cache_clean_async:
 * @max_age: how old a copy may be, such as %CACHET_ATTACHMENT_CACHE_MAX_AGE
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes the copies written longer than @max_age ago, in a worker thread.
 */
void
cachet_attachment_cache_clean_async (GTimeSpan            max_age,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, cachet_attachment_cache_clean_async);
  g_task_set_task_data (task, g_memdup2 (&max_age, sizeof max_age), g_free);
  g_task_run_in_thread (task, clean_thread);
}

gboolean
cachet_attachment_cache_clean_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
