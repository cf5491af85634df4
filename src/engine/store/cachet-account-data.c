/* cachet-account-data.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-account-data.h"
#include "cachet-file-tree.h"
#include "cachet-paths.h"
#include "cachet-store-types.h"

/* Everything Cachet keeps on this computer for one account lives under one
 * folder: the index, the Maildirs and the outbox. */

/**
 * cachet_account_data_get_dir:
 * @account_id: the id of an account
 *
 * Returns: (transfer full): the folder of the account's local data
 */
char *
cachet_account_data_get_dir (const char *account_id)
{
  g_return_val_if_fail (account_id != NULL, NULL);

  return g_build_filename (cachet_paths_get_data_dir (), "accounts", account_id, NULL);
}

static void
delete_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (cachet_file_tree_remove (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * cachet_account_data_delete_async:
 * @account_id: the id of a removed account
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes the account's local data, in a worker thread. Nothing may hold the
 * account's store or outbox open any more.
 */
void
cachet_account_data_delete_async (const char          *account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (account_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_account_data_delete_async);
  if (!g_str_equal (account_id, "") && strchr (account_id, G_DIR_SEPARATOR) == NULL &&
      !g_str_equal (account_id, ".") && !g_str_equal (account_id, ".."))
    {
      g_task_set_task_data (task, cachet_account_data_get_dir (account_id), g_free);
      g_task_run_in_thread (task, delete_thread);
    }
  else
    g_task_return_new_error (task, CACHET_STORE_ERROR, CACHET_STORE_ERROR_INVALID,
                             _("“%s” is not an account id"), account_id);
}

gboolean
cachet_account_data_delete_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
