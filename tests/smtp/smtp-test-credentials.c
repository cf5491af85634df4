/* smtp-test-credentials.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "smtp-test-credentials.h"

struct _SmtpTestCredentials
{
  GObject parent_instance;

  GHashTable *secrets;    /* "account-id/kind" -> secret */
  guint lookups;
};

static void smtp_test_credentials_iface_init (CachetCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SmtpTestCredentials, smtp_test_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CACHET_TYPE_CREDENTIALS_PROVIDER,
                                                      smtp_test_credentials_iface_init))

static char *
make_key (const char       *account_id,
          CachetSecretKind  kind)
{
  return g_strdup_printf ("%s/%s", account_id, cachet_secret_kind_to_string (kind));
}

static void
lookup_async (CachetCredentialsProvider *provider,
              const char                *account_id,
              CachetSecretKind           kind,
              GCancellable              *cancellable,
              GAsyncReadyCallback        callback,
              gpointer                   user_data)
{
  SmtpTestCredentials *self = SMTP_TEST_CREDENTIALS (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = make_key (account_id, kind);

  self->lookups++;
  g_task_set_source_tag (task, lookup_async);
  /* Like libsecret: the answer comes from the main loop, never at once. */
  g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->secrets, key)), g_free);
}

static char *
lookup_finish (CachetCredentialsProvider  *provider,
               GAsyncResult               *result,
               GError                    **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_async (CachetCredentialsProvider *provider,
             const char                *account_id,
             CachetSecretKind           kind,
             const char                *secret,
             GCancellable              *cancellable,
             GAsyncReadyCallback        callback,
             gpointer                   user_data)
{
  SmtpTestCredentials *self = SMTP_TEST_CREDENTIALS (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  smtp_test_credentials_set (self, account_id, kind, secret);
  g_task_return_boolean (task, TRUE);
}

static gboolean
boolean_finish (CachetCredentialsProvider  *provider,
                GAsyncResult               *result,
                GError                    **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_async (CachetCredentialsProvider *provider,
             const char                *account_id,
             GCancellable              *cancellable,
             GAsyncReadyCallback        callback,
             gpointer                   user_data)
{
  SmtpTestCredentials *self = SMTP_TEST_CREDENTIALS (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *prefix = g_strconcat (account_id, "/", NULL);
  GHashTableIter iter;
  const char *key;

  g_hash_table_iter_init (&iter, self->secrets);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    {
      if (g_str_has_prefix (key, prefix))
        g_hash_table_iter_remove (&iter);
    }
  g_task_return_boolean (task, TRUE);
}

static void
smtp_test_credentials_iface_init (CachetCredentialsProviderInterface *iface)
{
  iface->lookup_async = lookup_async;
  iface->lookup_finish = lookup_finish;
  iface->store_async = store_async;
  iface->store_finish = boolean_finish;
  iface->clear_async = clear_async;
  iface->clear_finish = boolean_finish;
}

static void
smtp_test_credentials_finalize (GObject *object)
{
  SmtpTestCredentials *self = SMTP_TEST_CREDENTIALS (object);

  g_clear_pointer (&self->secrets, g_hash_table_unref);

  G_OBJECT_CLASS (smtp_test_credentials_parent_class)->finalize (object);
}

static void
smtp_test_credentials_class_init (SmtpTestCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = smtp_test_credentials_finalize;
}

static void
smtp_test_credentials_init (SmtpTestCredentials *self)
{
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

SmtpTestCredentials *
smtp_test_credentials_new (void)
{
  return g_object_new (SMTP_TYPE_TEST_CREDENTIALS, NULL);
}

void
smtp_test_credentials_set (SmtpTestCredentials *self,
                           const char          *account_id,
                           CachetSecretKind     kind,
                           const char          *secret)
{
  g_return_if_fail (SMTP_IS_TEST_CREDENTIALS (self));

  if (secret == NULL)
    {
      g_autofree char *key = make_key (account_id, kind);

      g_hash_table_remove (self->secrets, key);
      return;
    }
  g_hash_table_replace (self->secrets, make_key (account_id, kind), g_strdup (secret));
}

/* How many times the password (or any secret) was asked for. */
guint
smtp_test_credentials_get_lookups (SmtpTestCredentials *self)
{
  g_return_val_if_fail (SMTP_IS_TEST_CREDENTIALS (self), 0);

  return self->lookups;
}
