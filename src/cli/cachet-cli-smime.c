/* cachet-cli-smime.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gi18n.h>

#include "cachet-cli.h"
#include "cachet-cli-smime.h"
#include "cachet-mime.h"
#include "cachet-secret-credentials.h"
#include "cachet-smime.h"

/* S/MIME from the command line: signing and verifying message files, and
 * the certificate store. --identity names a PKCS #12 file (its passphrase is
 * the certificate passphrase kept for --account, if any) or a PKCS #11 URI
 * (`pkcs11:token=…;object=…`, the PIN in a pin-source or pin-value
 * attribute). */

static const char sign_summary[] = N_("Sign a message file");
static const char verify_summary[] = N_("Check the signature of a message file");
static const char encrypt_summary[] = N_("Encrypt a message file for its recipients and you");
static const char decrypt_summary[] = N_("Decrypt a message file");
static const char import_summary[] = N_("Keep a correspondent’s certificate");
static const char list_summary[] = N_("List the kept certificates and trusted authorities");
static const char trust_summary[] = N_("Trust an authority for signed mail");
static const char untrust_summary[] = N_("Stop trusting an authority");
static const char remove_summary[] = N_("Forget a correspondent’s certificate");

static GMimeMessage *
read_message (const char  *path,
              GError     **error)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  g_autoptr(GBytes) bytes = NULL;

  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  return cachet_mime_parse_message (bytes, error);
}

static int
write_message (GMimeMessage *message,
               const char   *path)
{
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_mime_stream_fs_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600, &error);
  if (stream == NULL ||
      g_mime_object_write_to_stream (GMIME_OBJECT (message), NULL, stream) < 0 ||
      g_mime_stream_flush (stream) < 0)
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("The message cannot be written to “%s”."), path);
      return cachet_cli_fail (error);
    }
  return 0;
}

static CachetSmimeIdentity *
load_identity (const char  *identity,
               const char  *account_name,
               GError     **error)
{
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetSecretCredentials) credentials = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (account_name != NULL)
    {
      if ((account = cachet_cli_find_account (account_name)) == NULL)
        return NULL;
      credentials = cachet_secret_credentials_new ();
    }

  cachet_smime_identity_load_async (identity, CACHET_CREDENTIALS_PROVIDER (credentials),
                                    account != NULL ? cachet_account_get_id (account) : NULL,
                                    NULL, cachet_cli_result_cb, &result);
  return cachet_smime_identity_load_finish (cachet_cli_wait (&result), error);
}

static int
command_sign (int    argc,
              char **argv)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *identity_name = NULL;
  g_autofree char *account_name = NULL;
  gboolean opaque = FALSE;
  const GOptionEntry entries[] = {
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, N_("The message to sign (.eml)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Where to write the signed message"), N_("FILE") },
    { "identity", 0, 0, G_OPTION_ARG_STRING, &identity_name, N_("A PKCS #12 file, or the PKCS #11 URI of a smart card certificate"), N_("ID") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account whose kept passphrase opens the PKCS #12 file"), N_("NAME") },
    { "opaque", 0, 0, G_OPTION_ARG_NONE, &opaque, N_("Embed the message in the signature instead of a detached signature"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(sign_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (in == NULL || out == NULL || identity_name == NULL)
    {
      g_printerr (_("cachet-cli: say what to sign with --in FILE --out FILE --identity ID\n"));
      return CACHET_CLI_USAGE;
    }

  if ((message = read_message (in, &error)) == NULL ||
      (identity = load_identity (identity_name, account_name, &error)) == NULL)
    return error != NULL ? cachet_cli_fail (error) : CACHET_CLI_FAILED;
  if (!cachet_smime_sign_message (message, identity,
                                  opaque ? CACHET_SMIME_SIGN_OPAQUE : CACHET_SMIME_SIGN_DETACHED,
                                  &error))
    return cachet_cli_fail (error);

  return write_message (message, out);
}

/* The members describing @certificate, in an object the caller opened. */
static void
add_certificate_members (JsonBuilder       *builder,
                         CachetCertificate *certificate)
{
  g_autofree char *not_before = g_date_time_format_iso8601 (cachet_certificate_get_not_before (certificate));
  g_autofree char *not_after = g_date_time_format_iso8601 (cachet_certificate_get_not_after (certificate));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char * const *addresses = cachet_certificate_get_email_addresses (certificate);

  cachet_cli_add_string (builder, "fingerprint", cachet_certificate_get_fingerprint (certificate));
  cachet_cli_add_string (builder, "subject", cachet_certificate_get_subject (certificate));
  cachet_cli_add_string (builder, "issuer", cachet_certificate_get_issuer (certificate));
  json_builder_set_member_name (builder, "addresses");
  json_builder_begin_array (builder);
  for (guint i = 0; addresses[i] != NULL; i++)
    json_builder_add_string_value (builder, addresses[i]);
  json_builder_end_array (builder);
  cachet_cli_add_string (builder, "not_before", not_before);
  cachet_cli_add_string (builder, "not_after", not_after);
  json_builder_set_member_name (builder, "expired");
  json_builder_add_boolean_value (builder, cachet_certificate_is_expired (certificate, now));
}

static void
add_certificate (JsonBuilder       *builder,
                 CachetCertificate *certificate)
{
  json_builder_begin_object (builder);
  add_certificate_members (builder, certificate);
  json_builder_end_object (builder);
}

/* Whether the certificate at @position of the report's chain is the trust
 * anchor it ends at. */
static gboolean
is_chain_anchor (CachetSecurityReport *report,
                 guint                 position)
{
  return cachet_security_report_is_anchored (report) &&
         position + 1 == g_list_model_get_n_items (cachet_security_report_get_chain (report));
}

static void
print_report_json (CachetSecurityReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GDateTime *signing_time = cachet_security_report_get_signing_time (report);
  g_autofree char *time_text = signing_time != NULL ? g_date_time_format_iso8601 (signing_time) : NULL;
  CachetSecurityVerdict verdict = cachet_security_report_get_verdict (report);
  GListModel *chain = cachet_security_report_get_chain (report);

  json_builder_begin_object (builder);
  cachet_cli_add_string (builder, "verdict", cachet_security_verdict_to_string (verdict));
  cachet_cli_add_string (builder, "summary", cachet_security_verdict_describe (verdict));
  json_builder_set_member_name (builder, "signed");
  json_builder_add_boolean_value (builder, cachet_security_report_is_signed (report));
  cachet_cli_add_string (builder, "sender", cachet_security_report_get_sender (report));
  cachet_cli_add_string (builder, "signing_time", time_text);
  json_builder_set_member_name (builder, "signer");
  if (cachet_security_report_get_signer (report) != NULL)
    add_certificate (builder, cachet_security_report_get_signer (report));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "chain");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (chain); i++)
    {
      g_autoptr(CachetCertificate) certificate = g_list_model_get_item (chain, i);

      json_builder_begin_object (builder);
      add_certificate_members (builder, certificate);
      json_builder_set_member_name (builder, "anchor");
      json_builder_add_boolean_value (builder, is_chain_anchor (report, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "reasons");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cachet_security_report_get_n_reasons (report); i++)
    {
      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "code",
                             cachet_security_reason_to_string (cachet_security_report_get_reason (report, i)));
      cachet_cli_add_string (builder, "text", cachet_security_report_get_reason_text (report, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  cachet_cli_print_json (root);
}

static void
print_report_text (CachetSecurityReport *report)
{
  CachetCertificate *signer = cachet_security_report_get_signer (report);
  GDateTime *signing_time = cachet_security_report_get_signing_time (report);
  GListModel *chain = cachet_security_report_get_chain (report);

  g_print ("%s\n", cachet_security_verdict_describe (cachet_security_report_get_verdict (report)));
  if (signer != NULL)
    g_print (_("Signer: %s\n"), cachet_certificate_get_subject (signer));
  /* The signer's own certificate is the first: its issuers follow. */
  for (guint i = 1; i < g_list_model_get_n_items (chain); i++)
    {
      g_autoptr(CachetCertificate) certificate = g_list_model_get_item (chain, i);

      g_print (is_chain_anchor (report, i) ? _("Issued by: %s (trusted)\n") : _("Issued by: %s\n"),
               cachet_certificate_get_subject (certificate));
    }
  if (signing_time != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (signing_time);

      g_print (_("Signed at: %s\n"), text);
    }
  for (guint i = 0; i < cachet_security_report_get_n_reasons (report); i++)
    g_print ("- %s\n", cachet_security_report_get_reason_text (report, i));
}

static int
command_verify (int    argc,
                char **argv)
{
  g_autofree char *in = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, N_("The message to check (.eml)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _("Check the S/MIME signature of a message file. "
                                           "The exit status is 0 only for a valid signature "
                                           "by a trusted certificate of the sender."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (in == NULL)
    {
      g_printerr (_("cachet-cli: say which message with --in FILE\n"));
      return CACHET_CLI_USAGE;
    }

  if ((message = read_message (in, &error)) == NULL ||
      (report = cachet_smime_verify_message (message, store, &error)) == NULL)
    return cachet_cli_fail (error);

  if (json)
    print_report_json (report);
  else
    print_report_text (report);

  return cachet_security_report_get_verdict (report) == CACHET_SECURITY_VERDICT_VALID
           ? 0 : CACHET_CLI_FAILED;
}

/* One line per certificate changed: its fingerprint, then its subject. */
static void
print_fingerprints (GPtrArray *certificates)
{
  for (guint i = 0; i < certificates->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (certificates, i);

      g_print ("%s\t%s\n", cachet_certificate_get_fingerprint (certificate),
               cachet_certificate_get_subject (certificate));
    }
}

static int
add_certificates (int          argc,
                  char       **argv,
                  const char  *summary,
                  gboolean     as_anchors)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(summary));
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (argc != 2)
    {
      g_printerr (_("cachet-cli: give one certificate file\n"));
      return CACHET_CLI_USAGE;
    }

  certificates = as_anchors ? cachet_certificate_store_trust_file (store, argv[1], &error)
                            : cachet_certificate_store_import_file (store, argv[1], &error);
  if (certificates == NULL)
    return cachet_cli_fail (error);
  print_fingerprints (certificates);
  return 0;
}

static int
command_encrypt (int    argc,
                 char **argv)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *identity_name = NULL;
  g_autofree char *account_name = NULL;
  g_auto(GStrv) to = NULL;
  gboolean sign = FALSE;
  gboolean aes128 = FALSE;
  gboolean key_id = FALSE;
  const GOptionEntry entries[] = {
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, N_("The message to encrypt (.eml)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Where to write the encrypted message"), N_("FILE") },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, N_("A recipient’s address, whose certificate is kept (repeat for each)"), N_("ADDRESS") },
    { "identity", 0, 0, G_OPTION_ARG_STRING, &identity_name, N_("Your PKCS #12 file or smart card certificate (you are always a recipient)"), N_("ID") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account whose kept passphrase opens the PKCS #12 file"), N_("NAME") },
    { "sign", 0, 0, G_OPTION_ARG_NONE, &sign, N_("Sign the message before encrypting it"), NULL },
    { "aes128", 0, 0, G_OPTION_ARG_NONE, &aes128, N_("Encrypt with AES-128 instead of AES-256"), NULL },
    { "key-id", 0, 0, G_OPTION_ARG_NONE, &key_id, N_("Name recipients by key identifier instead of issuer and serial number"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(encrypt_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (in == NULL || out == NULL || identity_name == NULL || to == NULL)
    {
      g_printerr (_("cachet-cli: say what to encrypt with --in FILE --out FILE --to ADDRESS --identity ID\n"));
      return CACHET_CLI_USAGE;
    }

  if ((message = read_message (in, &error)) == NULL ||
      (recipients = cachet_smime_find_recipients (store, (const char * const *) to, &error)) == NULL ||
      (identity = load_identity (identity_name, account_name, &error)) == NULL)
    return error != NULL ? cachet_cli_fail (error) : CACHET_CLI_FAILED;
  if (!cachet_smime_encrypt_message (message, identity, recipients, sign,
                                     aes128 ? CACHET_ENVELOPE_CIPHER_AES_128_CBC
                                            : CACHET_ENVELOPE_CIPHER_AES_256_CBC,
                                     key_id ? CACHET_ENVELOPE_RECIPIENT_KEY_ID
                                            : CACHET_ENVELOPE_RECIPIENT_ISSUER_SERIAL,
                                     &error))
    return cachet_cli_fail (error);

  return write_message (message, out);
}

static int
command_decrypt (int    argc,
                 char **argv)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *identity_name = NULL;
  g_autofree char *account_name = NULL;
  const GOptionEntry entries[] = {
    { "in", 0, 0, G_OPTION_ARG_FILENAME, &in, N_("The message to decrypt (.eml)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Where to write the decrypted message"), N_("FILE") },
    { "identity", 0, 0, G_OPTION_ARG_STRING, &identity_name, N_("A PKCS #12 file, or the PKCS #11 URI of a smart card certificate"), N_("ID") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("The account whose kept passphrase opens the PKCS #12 file"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GMimeObject) entity = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(decrypt_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (in == NULL || out == NULL || identity_name == NULL)
    {
      g_printerr (_("cachet-cli: say what to decrypt with --in FILE --out FILE --identity ID\n"));
      return CACHET_CLI_USAGE;
    }

  if ((message = read_message (in, &error)) == NULL ||
      (identity = load_identity (identity_name, account_name, &error)) == NULL)
    return error != NULL ? cachet_cli_fail (error) : CACHET_CLI_FAILED;
  if ((entity = cachet_smime_decrypt_message (message, identity, store, &report, &error)) == NULL)
    return cachet_cli_fail (error);

  g_mime_message_set_mime_part (message, entity);
  if ((status = write_message (message, out)) != 0)
    return status;
  g_print (_("Decrypted.\n"));
  print_report_text (report);
  return 0;
}

static int
command_import (int    argc,
                char **argv)
{
  return add_certificates (argc, argv, import_summary, FALSE);
}

static int
command_trust (int    argc,
               char **argv)
{
  return add_certificates (argc, argv, trust_summary, TRUE);
}

static int
command_untrust (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FINGERPRINT"));
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(untrust_summary));
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (argc != 2)
    {
      g_printerr (_("cachet-cli: give the fingerprint of one authority\n"));
      return CACHET_CLI_USAGE;
    }
  if (!cachet_certificate_store_remove_anchor (store, argv[1], &error))
    return cachet_cli_fail (error);
  return 0;
}

static int
command_remove (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FINGERPRINT|FILE"));
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(GPtrArray) removed = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(remove_summary));
  g_option_context_set_description (context, _("Messages can no longer be encrypted for the correspondent "
                                               "until their certificate is imported again, or kept again "
                                               "from a validly signed message of theirs. Checking "
                                               "signatures does not need it."));
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (argc != 2)
    {
      g_printerr (_("cachet-cli: give the fingerprint of one certificate, or a certificate file\n"));
      return CACHET_CLI_USAGE;
    }

  if (g_file_test (argv[1], G_FILE_TEST_IS_REGULAR))
    {
      if ((removed = cachet_certificate_store_remove_file (store, argv[1], &error)) == NULL)
        return cachet_cli_fail (error);
      print_fingerprints (removed);
    }
  else if (!cachet_certificate_store_remove_certificate (store, argv[1], &error))
    return cachet_cli_fail (error);
  return 0;
}

static void
print_certificates (const char *kind,
                    GPtrArray  *certificates)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < certificates->len; i++)
    {
      CachetCertificate *certificate = g_ptr_array_index (certificates, i);
      g_autofree char *not_after = g_date_time_format (cachet_certificate_get_not_after (certificate), "%F");
      g_autofree char *addresses = g_strjoinv (",", (GStrv) cachet_certificate_get_email_addresses (certificate));

      g_print ("%s\t%s\t%s\t%s%s\t%s\n", kind, cachet_certificate_get_fingerprint (certificate),
               *addresses != '\0' ? addresses : "-", not_after,
               cachet_certificate_is_expired (certificate, now) ? _(" (expired)") : "",
               cachet_certificate_get_subject (certificate));
    }
}

static int
command_list (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (NULL);
  g_autoptr(GPtrArray) correspondents = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(list_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((correspondents = cachet_certificate_store_list_correspondents (store, &error)) == NULL ||
      (anchors = cachet_certificate_store_list_anchors (store, &error)) == NULL)
    return cachet_cli_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "correspondents");
      json_builder_begin_array (builder);
      for (guint i = 0; i < correspondents->len; i++)
        add_certificate (builder, g_ptr_array_index (correspondents, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "anchors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < anchors->len; i++)
        add_certificate (builder, g_ptr_array_index (anchors, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else
    {
      print_certificates (_("correspondent"), correspondents);
      print_certificates (_("authority"), anchors);
    }

  return 0;
}

static const CachetCliCommand smime_commands[] = {
  { "sign", command_sign, sign_summary },
  { "verify", command_verify, verify_summary },
  { "encrypt", command_encrypt, encrypt_summary },
  { "decrypt", command_decrypt, decrypt_summary },
};

static const CachetCliCommand cert_commands[] = {
  { "import", command_import, import_summary },
  { "list", command_list, list_summary },
  { "trust", command_trust, trust_summary },
  { "untrust", command_untrust, untrust_summary },
  { "remove", command_remove, remove_summary },
};

int
cachet_cli_smime (int    argc,
                  char **argv)
{
  return cachet_cli_run_subcommand ("smime", smime_commands, G_N_ELEMENTS (smime_commands),
                                    argc, argv);
}

int
cachet_cli_cert (int    argc,
                 char **argv)
{
  return cachet_cli_run_subcommand ("cert", cert_commands, G_N_ELEMENTS (cert_commands),
                                    argc, argv);
}
