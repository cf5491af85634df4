/* cachet-account.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cachet-account.h"
#include "cachet-server-address.h"

/* An account is configuration only: where to connect and as whom. Secrets
 * (passwords, passphrases, tokens) never live here; they go through the
 * credentials provider, keyed by the account's id. */

struct _CachetAccount
{
  GObject  parent_instance;

  char    *id;
  char    *name;
  char    *address;
  char    *imap_url;
  char    *smtp_url;
  char    *login;
  char    *client_cert;
  char    *ca_file;
  gboolean lab_import;
  char    *smime_identity;
  gboolean smime_sign;
  gboolean smime_encrypt;
};

G_DEFINE_FINAL_TYPE (CachetAccount, cachet_account, G_TYPE_OBJECT)

G_DEFINE_QUARK (cachet-account-error-quark, cachet_account_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_IMAP_URL,
  PROP_SMTP_URL,
  PROP_LOGIN,
  PROP_CLIENT_CERT,
  PROP_CA_FILE,
  PROP_LAB_IMPORT,
  PROP_SMIME_IDENTITY,
  PROP_SMIME_SIGN,
  PROP_SMIME_ENCRYPT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Keys of an account's group in the accounts file. */
#define KEY_NAME        "Name"
#define KEY_ADDRESS     "Address"
#define KEY_IMAP        "IMAP"
#define KEY_SMTP        "SMTP"
#define KEY_LOGIN       "Login"
#define KEY_CLIENT_CERT "ClientCertificate"
#define KEY_CA_FILE     "CAFile"
#define KEY_LAB_IMPORT  "LabImport"
#define KEY_SMIME_IDENTITY "SmimeIdentity"
#define KEY_SMIME_SIGN     "SmimeSign"
#define KEY_SMIME_ENCRYPT  "SmimeEncrypt"

/**
 * cachet_account_new:
 * @name: how the user calls the account; unique among accounts
 * @address: the mail address the account sends from
 * @imap_url: `imaps://host[:port]`, or `imap://host[:port]` for mandatory STARTTLS
 * @smtp_url: `smtps://host[:port]`, or `smtp://host[:port]` for mandatory STARTTLS
 *
 * Creates an account with a new id. Call cachet_account_validate() before
 * keeping it.
 *
 * Returns: (transfer full): a new account
 */
CachetAccount *
cachet_account_new (const char *name,
                    const char *address,
                    const char *imap_url,
                    const char *smtp_url)
{
  g_autofree char *id = g_uuid_string_random ();

  return g_object_new (CACHET_TYPE_ACCOUNT,
                       "id", id,
                       "name", name,
                       "address", address,
                       "imap-url", imap_url,
                       "smtp-url", smtp_url,
                       NULL);
}

const char *
cachet_account_get_id (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->id;
}

const char *
cachet_account_get_name (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->name;
}

const char *
cachet_account_get_address (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->address;
}

const char *
cachet_account_get_imap_url (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->imap_url;
}

const char *
cachet_account_get_smtp_url (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->smtp_url;
}

/**
 * cachet_account_get_login:
 *
 * Returns: (transfer none): the login name, which is the address unless set
 */
const char *
cachet_account_get_login (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->login != NULL ? self->login : self->address;
}

void
cachet_account_set_login (CachetAccount *self,
                          const char    *login)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  if (replace_string (&self->login, login))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN]);
}

/**
 * cachet_account_get_client_cert:
 *
 * Returns: (transfer none) (nullable): a PKCS#12 file or a PKCS#11 URI
 */
const char *
cachet_account_get_client_cert (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->client_cert;
}

void
cachet_account_set_client_cert (CachetAccount *self,
                                const char    *client_cert)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  if (replace_string (&self->client_cert, client_cert))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_CERT]);
}

/**
 * cachet_account_get_ca_file:
 *
 * Returns: (transfer none) (nullable): PEM anchors that replace the system
 *   store for this account's servers
 */
const char *
cachet_account_get_ca_file (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->ca_file;
}

void
cachet_account_set_ca_file (CachetAccount *self,
                            const char    *ca_file)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  if (replace_string (&self->ca_file, ca_file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

static void
set_boolean (CachetAccount *self,
             gboolean      *field,
             gboolean       value,
             guint          prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/**
 * cachet_account_get_lab_import:
 *
 * Returns: whether the lab results that arrive in this account's inbox are
 *   filed after each sync
 */
gboolean
cachet_account_get_lab_import (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), FALSE);
  return self->lab_import;
}

void
cachet_account_set_lab_import (CachetAccount *self,
                               gboolean       lab_import)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  set_boolean (self, &self->lab_import, lab_import, PROP_LAB_IMPORT);
}

/**
 * cachet_account_get_smime_identity:
 *
 * Returns: (transfer none) (nullable): the PKCS#12 file or PKCS#11 URI this
 *   account signs and decrypts with; its passphrase, if any, is kept by the
 *   credentials provider
 */
const char *
cachet_account_get_smime_identity (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), NULL);
  return self->smime_identity;
}

void
cachet_account_set_smime_identity (CachetAccount *self,
                                   const char    *identity)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  /* An empty entry in Preferences means "no identity", not a file named "". */
  if (identity != NULL && *identity == '\0')
    identity = NULL;
  if (replace_string (&self->smime_identity, identity))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SMIME_IDENTITY]);
}

/**
 * cachet_account_get_smime_sign:
 *
 * Returns: whether new messages from this account start with Sign on
 */
gboolean
cachet_account_get_smime_sign (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), FALSE);
  return self->smime_sign;
}

void
cachet_account_set_smime_sign (CachetAccount *self,
                               gboolean       sign)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  set_boolean (self, &self->smime_sign, sign, PROP_SMIME_SIGN);
}

/**
 * cachet_account_get_smime_encrypt:
 *
 * Returns: whether new messages from this account start with Encrypt on
 */
gboolean
cachet_account_get_smime_encrypt (CachetAccount *self)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), FALSE);
  return self->smime_encrypt;
}

void
cachet_account_set_smime_encrypt (CachetAccount *self,
                                  gboolean       encrypt)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));
  set_boolean (self, &self->smime_encrypt, encrypt, PROP_SMIME_ENCRYPT);
}

static gboolean
is_clean_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return FALSE;
    }
  return g_utf8_validate (text, -1, NULL);
}

static gboolean
is_plausible_address (const char *address)
{
  const char *at = strrchr (address, '@');

  if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '.') == NULL)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '<' || *p == '>' || *p == ',')
        return FALSE;
    }
  return is_clean_text (address);
}

static gboolean
validate_server_url (const char            *url,
                     CachetServerProtocol   protocol,
                     GError               **error)
{
  g_autoptr(CachetServerAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *what = protocol == CACHET_SERVER_PROTOCOL_IMAP ? "IMAP" : "SMTP";

  if (url != NULL)
    address = cachet_server_address_parse (url, &local_error);
  if (address == NULL || cachet_server_address_get_protocol (address) != protocol)
    {
      g_set_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID,
                   /* Translators: %s is IMAP or SMTP; the last %s says what is wrong. */
                   _("The %s server address is not valid. %s"), what,
                   local_error != NULL ? local_error->message
                   : protocol == CACHET_SERVER_PROTOCOL_IMAP
                   ? _("It must start with imaps:// (TLS) or imap:// (STARTTLS).")
                   : _("It must start with smtps:// (TLS) or smtp:// (STARTTLS)."));
      return FALSE;
    }

  return TRUE;
}

/**
 * cachet_account_validate:
 * @error: return location for a #GError
 *
 * Checks every field, so that nothing malformed reaches the accounts file or
 * a server.
 *
 * Returns: %TRUE if the account can be kept
 */
gboolean
cachet_account_validate (CachetAccount  *self,
                         GError        **error)
{
  g_return_val_if_fail (CACHET_IS_ACCOUNT (self), FALSE);

  if (self->name == NULL || *self->name == '\0' || !is_clean_text (self->name))
    {
      g_set_error_literal (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID,
                           _("The account needs a name, on one line"));
      return FALSE;
    }
  if (self->address == NULL || !is_plausible_address (self->address))
    {
      g_set_error_literal (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID,
                           _("The address must look like name@example.org"));
      return FALSE;
    }
  if (self->login != NULL && (*self->login == '\0' || !is_clean_text (self->login)))
    {
      g_set_error_literal (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID,
                           _("The login name cannot be empty or contain control characters"));
      return FALSE;
    }

  if (self->smime_identity != NULL && !is_clean_text (self->smime_identity))
    {
      g_set_error_literal (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_INVALID,
                           _("The S/MIME identity must be a file path or a PKCS#11 URI on one line"));
      return FALSE;
    }

  return validate_server_url (self->imap_url, CACHET_SERVER_PROTOCOL_IMAP, error) &&
         validate_server_url (self->smtp_url, CACHET_SERVER_PROTOCOL_SMTP, error);
}

static void
set_optional_string (GKeyFile   *keyfile,
                     const char *group,
                     const char *key,
                     const char *value)
{
  if (value != NULL)
    g_key_file_set_string (keyfile, group, key, value);
  else
    g_key_file_remove_key (keyfile, group, key, NULL);
}

/* Off is the default for every switch, and leaves the files of older
 * versions unchanged. */
static void
set_optional_boolean (GKeyFile   *keyfile,
                      const char *group,
                      const char *key,
                      gboolean    value)
{
  if (value)
    g_key_file_set_boolean (keyfile, group, key, TRUE);
  else
    g_key_file_remove_key (keyfile, group, key, NULL);
}

/**
 * cachet_account_save_to_keyfile:
 * @keyfile: the accounts file
 *
 * Writes the account into its own group of @keyfile, named after its id.
 */
void
cachet_account_save_to_keyfile (CachetAccount *self,
                                GKeyFile      *keyfile)
{
  g_return_if_fail (CACHET_IS_ACCOUNT (self));

  g_key_file_set_string (keyfile, self->id, KEY_NAME, self->name);
  g_key_file_set_string (keyfile, self->id, KEY_ADDRESS, self->address);
  g_key_file_set_string (keyfile, self->id, KEY_IMAP, self->imap_url);
  g_key_file_set_string (keyfile, self->id, KEY_SMTP, self->smtp_url);
  set_optional_string (keyfile, self->id, KEY_LOGIN, self->login);
  set_optional_string (keyfile, self->id, KEY_CLIENT_CERT, self->client_cert);
  set_optional_string (keyfile, self->id, KEY_CA_FILE, self->ca_file);
  set_optional_boolean (keyfile, self->id, KEY_LAB_IMPORT, self->lab_import);
  set_optional_string (keyfile, self->id, KEY_SMIME_IDENTITY, self->smime_identity);
  set_optional_boolean (keyfile, self->id, KEY_SMIME_SIGN, self->smime_sign);
  set_optional_boolean (keyfile, self->id, KEY_SMIME_ENCRYPT, self->smime_encrypt);
}

static char *
get_optional_string (GKeyFile   *keyfile,
                     const char *group,
                     const char *key)
{
  return g_key_file_get_string (keyfile, group, key, NULL);
}

/**
 * cachet_account_new_from_keyfile:
 * @keyfile: the accounts file
 * @group: the group of one account, named after its id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the account, validated, or %NULL
 */
CachetAccount *
cachet_account_new_from_keyfile (GKeyFile    *keyfile,
                                 const char  *group,
                                 GError     **error)
{
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = get_optional_string (keyfile, group, KEY_NAME);
  g_autofree char *address = get_optional_string (keyfile, group, KEY_ADDRESS);
  g_autofree char *imap_url = get_optional_string (keyfile, group, KEY_IMAP);
  g_autofree char *smtp_url = get_optional_string (keyfile, group, KEY_SMTP);
  g_autofree char *login = get_optional_string (keyfile, group, KEY_LOGIN);
  g_autofree char *client_cert = get_optional_string (keyfile, group, KEY_CLIENT_CERT);
  g_autofree char *ca_file = get_optional_string (keyfile, group, KEY_CA_FILE);
  g_autofree char *smime_identity = get_optional_string (keyfile, group, KEY_SMIME_IDENTITY);

  account = g_object_new (CACHET_TYPE_ACCOUNT,
                          "id", group,
                          "name", name,
                          "address", address,
                          "imap-url", imap_url,
                          "smtp-url", smtp_url,
                          "login", login,
                          "client-cert", client_cert,
                          "ca-file", ca_file,
                          "lab-import", g_key_file_get_boolean (keyfile, group, KEY_LAB_IMPORT, NULL),
                          "smime-identity", smime_identity,
                          "smime-sign", g_key_file_get_boolean (keyfile, group, KEY_SMIME_SIGN, NULL),
                          "smime-encrypt", g_key_file_get_boolean (keyfile, group, KEY_SMIME_ENCRYPT, NULL),
                          NULL);
  if (!cachet_account_validate (account, &local_error))
    {
      g_set_error (error, CACHET_ACCOUNT_ERROR, CACHET_ACCOUNT_ERROR_CORRUPT,
                   _("Account “%s” in the accounts file is damaged: %s"),
                   name != NULL ? name : group, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&account);
}

static void
cachet_account_finalize (GObject *object)
{
  CachetAccount *self = CACHET_ACCOUNT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->imap_url, g_free);
  g_clear_pointer (&self->smtp_url, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->client_cert, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->smime_identity, g_free);

  G_OBJECT_CLASS (cachet_account_parent_class)->finalize (object);
}

static void
cachet_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CachetAccount *self = CACHET_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_IMAP_URL:
      g_value_set_string (value, self->imap_url);
      break;
    case PROP_SMTP_URL:
      g_value_set_string (value, self->smtp_url);
      break;
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_CLIENT_CERT:
      g_value_set_string (value, self->client_cert);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_LAB_IMPORT:
      g_value_set_boolean (value, self->lab_import);
      break;
    case PROP_SMIME_IDENTITY:
      g_value_set_string (value, self->smime_identity);
      break;
    case PROP_SMIME_SIGN:
      g_value_set_boolean (value, self->smime_sign);
      break;
    case PROP_SMIME_ENCRYPT:
      g_value_set_boolean (value, self->smime_encrypt);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CachetAccount *self = CACHET_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_ADDRESS:
      self->address = g_value_dup_string (value);
      break;
    case PROP_IMAP_URL:
      self->imap_url = g_value_dup_string (value);
      break;
    case PROP_SMTP_URL:
      self->smtp_url = g_value_dup_string (value);
      break;
    case PROP_LOGIN:
      cachet_account_set_login (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_CERT:
      cachet_account_set_client_cert (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      cachet_account_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_LAB_IMPORT:
      cachet_account_set_lab_import (self, g_value_get_boolean (value));
      break;
    case PROP_SMIME_IDENTITY:
      cachet_account_set_smime_identity (self, g_value_get_string (value));
      break;
    case PROP_SMIME_SIGN:
      cachet_account_set_smime_sign (self, g_value_get_boolean (value));
      break;
    case PROP_SMIME_ENCRYPT:
      cachet_account_set_smime_encrypt (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_account_class_init (CachetAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  const GParamFlags read_write = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cachet_account_finalize;
  object_class->get_property = cachet_account_get_property;
  object_class->set_property = cachet_account_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct_only);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, construct_only);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, construct_only);
  properties[PROP_IMAP_URL] = g_param_spec_string ("imap-url", NULL, NULL, NULL, construct_only);
  properties[PROP_SMTP_URL] = g_param_spec_string ("smtp-url", NULL, NULL, NULL, construct_only);
  properties[PROP_LOGIN] = g_param_spec_string ("login", NULL, NULL, NULL, read_write);
  properties[PROP_CLIENT_CERT] = g_param_spec_string ("client-cert", NULL, NULL, NULL, read_write);
  properties[PROP_CA_FILE] = g_param_spec_string ("ca-file", NULL, NULL, NULL, read_write);
  properties[PROP_LAB_IMPORT] = g_param_spec_boolean ("lab-import", NULL, NULL, FALSE, read_write);
  properties[PROP_SMIME_IDENTITY] = g_param_spec_string ("smime-identity", NULL, NULL, NULL, read_write);
  properties[PROP_SMIME_SIGN] = g_param_spec_boolean ("smime-sign", NULL, NULL, FALSE, read_write);
  properties[PROP_SMIME_ENCRYPT] = g_param_spec_boolean ("smime-encrypt", NULL, NULL, FALSE, read_write);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cachet_account_init (CachetAccount *self)
{
}
