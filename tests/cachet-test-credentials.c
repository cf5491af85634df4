/* cachet-test-credentials.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-test-credentials.h"

struct _CachetTestCredentials
{
  GObject     parent_instance;

  GHashTable *secrets;    /* "account-id/kind" -> secret */
  guint       lookups;
  gboolean    hold;       /* keep lookups pending, as a keyring waiting to be unlocked */
  GTask      *held;
};

static void cachet_test_credentials_iface_init (CachetCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetTestCredentials, cachet_test_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CACHET_TYPE_CREDENTIALS_PROVIDER,
                                                      cachet_test_credentials_iface_init))

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
  CachetTestCredentials *self = CACHET_TEST_CREDENTIALS (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *key = make_key (account_id, kind);

  self->lookups++;
  g_task_set_source_tag (task, lookup_async);
  if (self->hold)
    {
      g_task_set_task_data (task, g_steal_pointer (&key), g_free);
      g_set_object (&self->held, task);
      return;
    }
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
  CachetTestCredentials *self = CACHET_TEST_CREDENTIALS (provider);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  cachet_test_credentials_set (self, account_id, kind, secret);
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
  CachetTestCredentials *self = CACHET_TEST_CREDENTIALS (provider);
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
cachet_test_credentials_iface_init (CachetCredentialsProviderInterface *iface)
{
  iface->lookup_async = lookup_async;
  iface->lookup_finish = lookup_finish;
  iface->store_async = store_async;
  iface->store_finish = boolean_finish;
  iface->clear_async = clear_async;
  iface->clear_finish = boolean_finish;
}

static void
cachet_test_credentials_finalize (GObject *object)
{
  CachetTestCredentials *self = CACHET_TEST_CREDENTIALS (object);

  /* A lookup still held would never complete: the test forgot to release it. */
  g_assert_null (self->held);
  g_clear_pointer (&self->secrets, g_hash_table_unref);

  G_OBJECT_CLASS (cachet_test_credentials_parent_class)->finalize (object);
}

static void
cachet_test_credentials_class_init (CachetTestCredentialsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_test_credentials_finalize;
}

static void
cachet_test_credentials_init (CachetTestCredentials *self)
{
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

CachetTestCredentials *
cachet_test_credentials_new (void)
{
  return g_object_new (CACHET_TYPE_TEST_CREDENTIALS, NULL);
}

/* Sets the secret of @kind for @account_id; %NULL removes it. */
void
cachet_test_credentials_set (CachetTestCredentials *self,
                             const char            *account_id,
                             CachetSecretKind       kind,
                             const char            *secret)
{
  g_return_if_fail (CACHET_IS_TEST_CREDENTIALS (self));

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
cachet_test_credentials_get_lookups (CachetTestCredentials *self)
{
  g_return_val_if_fail (CACHET_IS_TEST_CREDENTIALS (self), 0);

  return self->lookups;
}

/* While @hold is set, a lookup stays pending until
 * cachet_test_credentials_release(), like a keyring waiting to be unlocked. */
void
cachet_test_credentials_set_hold (CachetTestCredentials *self,
                                  gboolean               hold)
{
  g_return_if_fail (CACHET_IS_TEST_CREDENTIALS (self));

  self->hold = !!hold;
}

gboolean
cachet_test_credentials_is_holding (CachetTestCredentials *self)
{
  g_return_val_if_fail (CACHET_IS_TEST_CREDENTIALS (self), FALSE);

  return self->held != NULL;
}

/* Completes the lookup held, if any, with the secret known now. */
void
cachet_test_credentials_release (CachetTestCredentials *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_TEST_CREDENTIALS (self));

  task = g_steal_pointer (&self->held);
  if (task != NULL)
    g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->secrets,
                                                                g_task_get_task_data (task))),
                           g_free);
}
