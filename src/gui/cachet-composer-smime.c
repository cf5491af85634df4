/* cachet-composer-smime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-composer-smime.h"

/* The composer's S/MIME work, kept off the main thread: the certificate
 * store reads files. Signing and encrypting at Send are the engine's
 * cachet_smime_protect_message(), in the composer's send thread. */

/* Whether a message to @address could be encrypted now: the same choice
 * of certificate as at Send (valid now), so that the Encrypt button never
 * promises what Send then refuses. */
static gboolean
has_usable_certificate (CachetCertificateStore *store,
                        const char             *address)
{
  const char * const one[] = { address, NULL };
  g_autoptr(GPtrArray) certificates = cachet_smime_find_recipients (store, one, NULL);

  return certificates != NULL;
}

static void
find_missing_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const char * const *addresses = task_data;
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();

  for (guint i = 0; addresses[i] != NULL; i++)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      if (!has_usable_certificate (source_object, addresses[i]))
        g_strv_builder_add (missing, addresses[i]);
    }
  g_task_return_pointer (task, g_strv_builder_end (missing), (GDestroyNotify) g_strfreev);
}

/**
 * cachet_composer_smime_find_missing_async:
 * @store: the user's certificates
 * @addresses: (array zero-terminated=1): every recipient, To, Cc and Bcc
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the addresses that have no certificate
 * @user_data: data for @callback
 *
 * Finds the recipients a message could not be encrypted for.
 */
void
cachet_composer_smime_find_missing_async (CachetCertificateStore *store,
                                          const char * const     *addresses,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (store));
  g_return_if_fail (addresses != NULL);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_composer_smime_find_missing_async);
  g_task_set_task_data (task, g_strdupv ((char **) addresses), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, find_missing_thread);
}

/**
 * cachet_composer_smime_find_missing_finish:
 *
 * Returns: (transfer full) (nullable): the addresses without a usable
 *   certificate, empty when every recipient has one, or %NULL when cancelled
 */
GStrv
cachet_composer_smime_find_missing_finish (CachetCertificateStore  *store,
                                           GAsyncResult            *result,
                                           GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autofree char *path = g_file_get_path (task_data);
  g_autoptr(GPtrArray) imported = NULL;
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only certificates saved on this computer can be imported. Copy the file to a "
                                 "local folder first."));
      return;
    }
  imported = cachet_certificate_store_import_file (source_object, path, &error);
  if (imported == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * cachet_composer_smime_import_async:
 * @store: the user's certificates
 * @file: a correspondent's certificate (PEM or DER)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the certificate is kept
 * @user_data: data for @callback
 *
 * Imports a correspondent's certificate off the main thread.
 */
void
cachet_composer_smime_import_async (CachetCertificateStore *store,
                                    GFile                  *file,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_composer_smime_import_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, import_thread);
}

gboolean
cachet_composer_smime_import_finish (CachetCertificateStore  *store,
                                     GAsyncResult            *result,
                                     GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
