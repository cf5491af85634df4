/* cachet-secret-credentials.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>

#include "cachet-secret-credentials.h"

/* The credentials provider of the application and the command line: secrets
 * live in the user's keyring (the Secret Service), never in Cachet's files. */

struct _CachetSecretCredentials
{
  GObject parent_instance;
};

static void cachet_secret_credentials_provider_init (CachetCredentialsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CachetSecretCredentials, cachet_secret_credentials, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CACHET_TYPE_CREDENTIALS_PROVIDER,
                                                      cachet_secret_credentials_provider_init))

static const SecretSchema *
get_schema (void)
{
  /* The schema name is part of the stored data: it must not follow the
   * application id of development builds. */
  static const SecretSchema schema = {
    "fr.cachet.Cachet.Credential", SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

CachetSecretCredentials *
cachet_secret_credentials_new (void)
{
  return g_object_new (CACHET_TYPE_SECRET_CREDENTIALS, NULL);
}

static void
lookup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* libsecret hands out non-pageable memory, wiped by its own free function. */
  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

static void
cachet_secret_credentials_lookup_async (CachetCredentialsProvider *provider,
                                        const char                *account_id,
                                        CachetSecretKind           kind,
                                        GCancellable              *cancellable,
                                        GAsyncReadyCallback        callback,
                                        gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, cachet_secret_credentials_lookup_async);
  secret_password_lookup (get_schema (), cancellable, lookup_done, g_steal_pointer (&task),
                          "account", account_id,
                          "kind", cachet_secret_kind_to_string (kind),
                          NULL);
}

static char *
cachet_secret_credentials_lookup_finish (CachetCredentialsProvider  *provider,
                                         GAsyncResult               *result,
                                         GError                    **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
return_boolean (GTask  *task,
                GError *error)
{
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_store_finish (result, &error);
  return_boolean (task, error);
}

static void
clear_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to forget. */
  secret_password_clear_finish (result, &error);
  return_boolean (task, error);
}

static void
cachet_secret_credentials_store_async (CachetCredentialsProvider *provider,
                                       const char                *account_id,
                                       CachetSecretKind           kind,
                                       const char                *secret,
                                       GCancellable              *cancellable,
                                       GAsyncReadyCallback        callback,
                                       gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);
  g_autofree char *label = g_strdup_printf ("Cachet: %s (%s)", account_id,
                                            cachet_secret_kind_to_string (kind));

  g_task_set_source_tag (task, cachet_secret_credentials_store_async);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_done, g_steal_pointer (&task),
                         "account", account_id,
                         "kind", cachet_secret_kind_to_string (kind),
                         NULL);
}

static gboolean
cachet_secret_credentials_boolean_finish (CachetCredentialsProvider  *provider,
                                          GAsyncResult               *result,
                                          GError                    **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cachet_secret_credentials_clear_async (CachetCredentialsProvider *provider,
                                       const char                *account_id,
                                       GCancellable              *cancellable,
                                       GAsyncReadyCallback        callback,
                                       gpointer                   user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, cachet_secret_credentials_clear_async);
  secret_password_clear (get_schema (), cancellable, clear_done, g_steal_pointer (&task),
                         "account", account_id,
                         NULL);
}

static void
cachet_secret_credentials_provider_init (CachetCredentialsProviderInterface *iface)
{
  iface->lookup_async = cachet_secret_credentials_lookup_async;
  iface->lookup_finish = cachet_secret_credentials_lookup_finish;
  iface->store_async = cachet_secret_credentials_store_async;
  iface->store_finish = cachet_secret_credentials_boolean_finish;
  iface->clear_async = cachet_secret_credentials_clear_async;
  iface->clear_finish = cachet_secret_credentials_boolean_finish;
}

static void
cachet_secret_credentials_class_init (CachetSecretCredentialsClass *klass)
{
}

static void
cachet_secret_credentials_init (CachetSecretCredentials *self)
{
}
