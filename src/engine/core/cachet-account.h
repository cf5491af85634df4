/* cachet-account.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CACHET_ACCOUNT_ERROR (cachet_account_error_quark ())

/**
 * CachetAccountError:
 * @CACHET_ACCOUNT_ERROR_INVALID: a field of the account is missing or malformed
 * @CACHET_ACCOUNT_ERROR_EXISTS: another account already has this name
 * @CACHET_ACCOUNT_ERROR_NOT_FOUND: no account has this name
 * @CACHET_ACCOUNT_ERROR_CORRUPT: the accounts file cannot be read back
 */
typedef enum
{
  CACHET_ACCOUNT_ERROR_INVALID,
  CACHET_ACCOUNT_ERROR_EXISTS,
  CACHET_ACCOUNT_ERROR_NOT_FOUND,
  CACHET_ACCOUNT_ERROR_CORRUPT,
} CachetAccountError;

#define CACHET_TYPE_ACCOUNT (cachet_account_get_type ())

G_DECLARE_FINAL_TYPE (CachetAccount, cachet_account, CACHET, ACCOUNT, GObject)

GQuark         cachet_account_error_quark      (void);

CachetAccount *cachet_account_new              (const char    *name,
                                                const char    *address,
                                                const char    *imap_url,
                                                const char    *smtp_url);
const char    *cachet_account_get_id           (CachetAccount *self);
const char    *cachet_account_get_name         (CachetAccount *self);
const char    *cachet_account_get_address      (CachetAccount *self);
const char    *cachet_account_get_imap_url     (CachetAccount *self);
const char    *cachet_account_get_smtp_url     (CachetAccount *self);
const char    *cachet_account_get_login        (CachetAccount *self);
void           cachet_account_set_login        (CachetAccount *self,
                                                const char    *login);
const char    *cachet_account_get_client_cert  (CachetAccount *self);
void           cachet_account_set_client_cert  (CachetAccount *self,
                                                const char    *client_cert);
const char    *cachet_account_get_ca_file      (CachetAccount *self);
void           cachet_account_set_ca_file      (CachetAccount *self,
                                                const char    *ca_file);
gboolean       cachet_account_get_lab_import   (CachetAccount *self);
void           cachet_account_set_lab_import   (CachetAccount *self,
                                                gboolean       lab_import);
const char    *cachet_account_get_smime_identity (CachetAccount *self);
void           cachet_account_set_smime_identity (CachetAccount *self,
                                                  const char    *identity);
gboolean       cachet_account_get_smime_sign     (CachetAccount *self);
void           cachet_account_set_smime_sign     (CachetAccount *self,
                                                  gboolean       sign);
gboolean       cachet_account_get_smime_encrypt  (CachetAccount *self);
void           cachet_account_set_smime_encrypt  (CachetAccount *self,
                                                  gboolean       encrypt);
gboolean       cachet_account_validate         (CachetAccount *self,
                                                GError       **error);
void           cachet_account_save_to_keyfile  (CachetAccount *self,
                                                GKeyFile      *keyfile);
CachetAccount *cachet_account_new_from_keyfile (GKeyFile      *keyfile,
                                                const char    *group,
                                                GError       **error);

G_END_DECLS
