/* cachet-drafts.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <errno.h>

#include "cachet-drafts.h"

/* The messages being written, kept on disk so that a crash or a closed
 * window loses nothing: one file per message, named after a hash of its
 * Message-ID (which comes from nobody but us, and still never becomes a
 * path), written whole to a temporary file, synced and renamed over the
 * previous version. Only the user's account may read them: drafts can
 * concern patients. */

struct _CachetDrafts
{
  GObject  parent_instance;

  char    *dir;
};

G_DEFINE_FINAL_TYPE (CachetDrafts, cachet_drafts, G_TYPE_OBJECT)

#define DRAFT_SUFFIX ".eml"

/**
 * cachet_drafts_new:
 * @account_dir: the account's data directory, see
 *   cachet_store_get_account_dir()
 *
 * Returns: (transfer full): the account's drafts, in @account_dir/drafts
 */
CachetDrafts *
cachet_drafts_new (const char *account_dir)
{
  CachetDrafts *self;

  g_return_val_if_fail (account_dir != NULL, NULL);

  self = g_object_new (CACHET_TYPE_DRAFTS, NULL);
  self->dir = g_build_filename (account_dir, "drafts", NULL);

  return self;
}

static char *
draft_path (CachetDrafts *self,
            const char   *message_id)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, message_id, -1);
  g_autofree char *name = g_strconcat (hash, DRAFT_SUFFIX, NULL);

  return g_build_filename (self->dir, name, NULL);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

/**
 * cachet_drafts_save:
 * @message_id: the draft's Message-ID, without angle brackets
 * @draft: the whole message
 *
 * Replaces the previous version of the draft, atomically and durably. May
 * block: call it from a worker thread.
 *
 * Returns: %TRUE once the draft is on disk
 */
gboolean
cachet_drafts_save (CachetDrafts  *self,
                    const char    *message_id,
                    GBytes        *draft,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *path = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (CACHET_IS_DRAFTS (self), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    return set_errno_error (error, errno, self->dir);

  path = draft_path (self, message_id);
  data = g_bytes_get_data (draft, &size);
  return g_file_set_contents_full (path, data, (gssize) size,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/**
 * cachet_drafts_remove:
 * @message_id: the draft's Message-ID, without angle brackets
 *
 * Removing a draft that is not there is not an error.
 *
 * Returns: %TRUE when the draft is gone
 */
gboolean
cachet_drafts_remove (CachetDrafts  *self,
                      const char    *message_id,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CACHET_IS_DRAFTS (self), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  path = draft_path (self, message_id);
  if (g_unlink (path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, path);

  return TRUE;
}

typedef struct
{
  GBytes *data;
  gint64  modified;
} Found;

static void
found_clear (Found *found)
{
  g_clear_pointer (&found->data, g_bytes_unref);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Found *found_a = a;
  const Found *found_b = b;

  return (found_a->modified < found_b->modified) - (found_a->modified > found_b->modified);
}

/**
 * cachet_drafts_list:
 *
 * Reads every draft, at most %CACHET_DRAFTS_MAX. May block: call it from a
 * worker thread.
 *
 * Returns: (transfer full) (element-type GBytes) (nullable): the drafts,
 *   newest first, or %NULL on error
 */
GPtrArray *
cachet_drafts_list (CachetDrafts  *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GArray) found = g_array_new (FALSE, TRUE, sizeof (Found));
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (CACHET_IS_DRAFTS (self), NULL);

  g_array_set_clear_func (found, (GDestroyNotify) found_clear);
  dir = g_dir_open (self->dir, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&drafts);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Temporary files of an interrupted save do not end in the suffix. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      GStatBuf status;
      gsize length;
      Found entry;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!g_str_has_suffix (name, DRAFT_SUFFIX))
        continue;
      path = g_build_filename (self->dir, name, NULL);
      if (g_stat (path, &status) != 0 || !S_ISREG (status.st_mode) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        continue;
      entry.modified = (gint64) status.st_mtime;
      entry.data = g_bytes_new_take (g_steal_pointer (&contents), length);
      g_array_append_val (found, entry);
    }

  g_array_sort (found, compare_newest_first);
  for (guint i = 0; i < found->len && i < CACHET_DRAFTS_MAX; i++)
    g_ptr_array_add (drafts, g_bytes_ref (g_array_index (found, Found, i).data));

  return g_steal_pointer (&drafts);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *drafts = cachet_drafts_list (source_object, cancellable, &error);

  if (drafts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, drafts, (GDestroyNotify) g_ptr_array_unref);
}

void
cachet_drafts_list_async (CachetDrafts        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_DRAFTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_drafts_list_async);
  g_task_run_in_thread (task, list_thread);
}

/**
 * cachet_drafts_list_finish:
 *
 * Returns: (transfer full) (element-type GBytes) (nullable): the drafts,
 *   newest first
 */
GPtrArray *
cachet_drafts_list_finish (CachetDrafts  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cachet_drafts_finalize (GObject *object)
{
  CachetDrafts *self = CACHET_DRAFTS (object);

  g_clear_pointer (&self->dir, g_free);

  G_OBJECT_CLASS (cachet_drafts_parent_class)->finalize (object);
}

static void
cachet_drafts_class_init (CachetDraftsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_drafts_finalize;
}

static void
cachet_drafts_init (CachetDrafts *self)
{
}
