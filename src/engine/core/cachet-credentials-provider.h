/* cachet-credentials-provider.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CachetSecretKind:
 * @CACHET_SECRET_PASSWORD: the password of the account's login
 * @CACHET_SECRET_CERTIFICATE_PASSPHRASE: the passphrase of a PKCS#12 file
 * @CACHET_SECRET_OAUTH_REFRESH_TOKEN: an OAuth refresh token; access tokens
 *   are never stored
 *
 * What a secret unlocks. Each account has at most one secret of each kind.
 */
typedef enum
{
  CACHET_SECRET_PASSWORD,
  CACHET_SECRET_CERTIFICATE_PASSPHRASE,
  CACHET_SECRET_OAUTH_REFRESH_TOKEN,
} CachetSecretKind;

#define CACHET_TYPE_CREDENTIALS_PROVIDER (cachet_credentials_provider_get_type ())

G_DECLARE_INTERFACE (CachetCredentialsProvider, cachet_credentials_provider, CACHET, CREDENTIALS_PROVIDER, GObject)

/* The engine asks for secrets through this interface and never stores them:
 * the application and the command line implement it with libsecret. */
struct _CachetCredentialsProviderInterface
{
  GTypeInterface parent_iface;

  void      (*lookup_async)  (CachetCredentialsProvider  *self,
                              const char                 *account_id,
                              CachetSecretKind            kind,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data);
  char     *(*lookup_finish) (CachetCredentialsProvider  *self,
                              GAsyncResult               *result,
                              GError                    **error);
  void      (*store_async)   (CachetCredentialsProvider  *self,
                              const char                 *account_id,
                              CachetSecretKind            kind,
                              const char                 *secret,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data);
  gboolean  (*store_finish)  (CachetCredentialsProvider  *self,
                              GAsyncResult               *result,
                              GError                    **error);
  void      (*clear_async)   (CachetCredentialsProvider  *self,
                              const char                 *account_id,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data);
  gboolean  (*clear_finish)  (CachetCredentialsProvider  *self,
                              GAsyncResult               *result,
                              GError                    **error);
};

const char *cachet_secret_kind_to_string                 (CachetSecretKind            kind);

void        cachet_credentials_provider_lookup_async     (CachetCredentialsProvider  *self,
                                                          const char                 *account_id,
                                                          CachetSecretKind            kind,
                                                          GCancellable               *cancellable,
                                                          GAsyncReadyCallback         callback,
                                                          gpointer                    user_data);
char       *cachet_credentials_provider_lookup_finish    (CachetCredentialsProvider  *self,
                                                          GAsyncResult               *result,
                                                          GError                    **error);
void        cachet_credentials_provider_store_async      (CachetCredentialsProvider  *self,
                                                          const char                 *account_id,
                                                          CachetSecretKind            kind,
                                                          const char                 *secret,
                                                          GCancellable               *cancellable,
                                                          GAsyncReadyCallback         callback,
                                                          gpointer                    user_data);
gboolean    cachet_credentials_provider_store_finish     (CachetCredentialsProvider  *self,
                                                          GAsyncResult               *result,
                                                          GError                    **error);
void        cachet_credentials_provider_clear_async      (CachetCredentialsProvider  *self,
                                                          const char                 *account_id,
                                                          GCancellable               *cancellable,
                                                          GAsyncReadyCallback         callback,
                                                          gpointer                    user_data);
gboolean    cachet_credentials_provider_clear_finish     (CachetCredentialsProvider  *self,
                                                          GAsyncResult               *result,
                                                          GError                    **error);

G_END_DECLS
