/* cachet-composer-smime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-composer-smime.h"
#include "cachet-mime.h"

/* The composer's S/MIME work, kept off the main thread: the certificate
 * store reads files, and signing or encrypting costs private-key and
 * cipher operations over the whole message. */

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

/**
 * cachet_composer_smime_protect:
 * @message: the built message (RFC 5322 bytes)
 * @identity: the sender's identity
 * @store: the user's certificates, for the recipients'
 * @recipients: (array zero-terminated=1): every envelope recipient
 * @sign: whether to sign
 * @encrypt: whether to encrypt (for @recipients and the sender); signed
 *   first when @sign
 * @error: return location for a #GError
 *
 * Blocks: for a worker thread.
 *
 * Returns: (transfer full) (nullable): the message to queue, or %NULL with
 *   an error, in which case nothing must be sent in its place
 */
GBytes *
cachet_composer_smime_protect (GBytes                  *message,
                               CachetSmimeIdentity     *identity,
                               CachetCertificateStore  *store,
                               const char * const      *recipients,
                               gboolean                 sign,
                               gboolean                 encrypt,
                               GError                 **error)
{
  g_autoptr(GMimeMessage) parsed = NULL;
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GByteArray) output = NULL;
  g_autoptr(GMimeStream) stream = NULL;
  GMimeFormatOptions *format;
  gssize written;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (CACHET_IS_SMIME_IDENTITY (identity), NULL);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (store), NULL);
  g_return_val_if_fail (sign || encrypt, NULL);

  parsed = cachet_mime_parse_message (message, error);
  if (parsed == NULL)
    return NULL;

  if (encrypt)
    {
      /* Bcc recipients are among them: a Bcc recipient who could not
       * decrypt would receive nothing readable. */
      certificates = cachet_smime_find_recipients (store, recipients, error);
      if (certificates == NULL ||
          !cachet_smime_encrypt_message (parsed, identity, certificates, sign, CACHET_ENVELOPE_CIPHER_AES_256_CBC,
                                         CACHET_ENVELOPE_RECIPIENT_ISSUER_SERIAL, error))
        return NULL;
    }
  else if (!cachet_smime_sign_message (parsed, identity, CACHET_SMIME_SIGN_DETACHED, error))
    return NULL;

  /* Written as the builder writes messages: CRLF, as SMTP sends them. */
  format = g_mime_format_options_clone (g_mime_format_options_get_default ());
  g_mime_format_options_set_newline_format (format, GMIME_NEWLINE_FORMAT_DOS);
  output = g_byte_array_new ();
  stream = g_mime_stream_mem_new_with_byte_array (output);
  /* The stream writes into @output but must not free it. */
  g_mime_stream_mem_set_owner (GMIME_STREAM_MEM (stream), FALSE);
  written = g_mime_object_write_to_stream (GMIME_OBJECT (parsed), format, stream);
  g_mime_format_options_free (format);
  if (written < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The protected message could not be written out. Try sending it again."));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&output));
}
