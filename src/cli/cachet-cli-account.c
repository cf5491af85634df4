/* cachet-cli-account.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-cli.h"
#include "cachet-secret-credentials.h"

static const char account_add_summary[] = N_("Add a mail account");
static const char account_list_summary[] = N_("List the mail accounts");

static gboolean
store_secret (CachetAccount     *account,
              CachetSecretKind   kind,
              const char        *secret,
              GError           **error)
{
  g_autoptr(CachetSecretCredentials) credentials = cachet_secret_credentials_new ();
  g_autoptr(GAsyncResult) result = NULL;

  cachet_credentials_provider_store_async (CACHET_CREDENTIALS_PROVIDER (credentials),
                                           cachet_account_get_id (account), kind, secret,
                                           NULL, cachet_cli_result_cb, &result);

  return cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (credentials),
                                                   cachet_cli_wait (&result), error);
}

static int
command_account_add (int    argc,
                     char **argv)
{
  g_autofree char *name = NULL, *address = NULL, *imap = NULL, *smtp = NULL;
  g_autofree char *login = NULL, *client_cert = NULL, *ca_file = NULL;
  gboolean password_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the account"), N_("NAME") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("Mail address"), N_("ADDRESS") },
    { "imap", 0, 0, G_OPTION_ARG_STRING, &imap, N_("IMAP server: imaps://host[:port], or imap:// for STARTTLS"), N_("URL") },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp, N_("SMTP server: smtps://host[:port], or smtp:// for STARTTLS"), N_("URL") },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_("Login name, if it is not the address"), N_("LOGIN") },
    { "client-cert", 0, 0, G_OPTION_ARG_STRING, &client_cert, N_("Client certificate: a PKCS#12 file or a PKCS#11 URI"), N_("CERTIFICATE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust only the authorities in this PEM file for this account"), N_("FILE") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from the standard input and keep it in the keyring"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccountList) accounts = NULL;
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _(account_add_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((accounts = cachet_cli_load_accounts ()) == NULL)
    return CACHET_CLI_FAILED;

  account = cachet_account_new (name, address, imap, smtp);
  cachet_account_set_login (account, login);
  cachet_account_set_client_cert (account, client_cert);
  if (ca_file != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (ca_file);
      g_autofree char *absolute = g_file_get_path (file);

      cachet_account_set_ca_file (account, absolute);
    }

  if (!cachet_account_validate (account, &error))
    {
      return cachet_cli_fail (error);
    }

  /* The secret goes first: an account without its password in the keyring
   * would fail later in a more confusing way. */
  if (password_stdin)
    {
      g_autofree char *secret = cachet_cli_read_secret (&error);

      if (secret == NULL || !store_secret (account, CACHET_SECRET_PASSWORD, secret, &error))
        {
          g_printerr (_("cachet-cli: cannot keep the password in the keyring: %s\n"), error->message);
          return CACHET_CLI_FAILED;
        }
      memset (secret, 0, strlen (secret));
    }

  if (!cachet_account_list_add (accounts, account, &error))
    {
      return cachet_cli_fail (error);
    }

  return 0;
}

static int
command_account_list (int    argc,
                      char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccountList) accounts = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_accounts;
  int status;

  g_option_context_set_summary (context, _(account_list_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((accounts = cachet_cli_load_accounts ()) == NULL)
    return CACHET_CLI_FAILED;

  n_accounts = g_list_model_get_n_items (G_LIST_MODEL (accounts));
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);

      if (!json)
        {
          g_print ("%s\t%s\t%s\t%s\n", cachet_account_get_name (account),
                   cachet_account_get_address (account),
                   cachet_account_get_imap_url (account),
                   cachet_account_get_smtp_url (account));
          continue;
        }

      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "id", cachet_account_get_id (account));
      cachet_cli_add_string (builder, "name", cachet_account_get_name (account));
      cachet_cli_add_string (builder, "address", cachet_account_get_address (account));
      cachet_cli_add_string (builder, "imap", cachet_account_get_imap_url (account));
      cachet_cli_add_string (builder, "smtp", cachet_account_get_smtp_url (account));
      cachet_cli_add_string (builder, "login", cachet_account_get_login (account));
      cachet_cli_add_string (builder, "client_cert", cachet_account_get_client_cert (account));
      cachet_cli_add_string (builder, "ca_file", cachet_account_get_ca_file (account));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }

  return 0;
}

static const CachetCliCommand account_commands[] = {
  { "add", command_account_add, account_add_summary },
  { "list", command_account_list, account_list_summary },
};

int
cachet_cli_account (int    argc,
                    char **argv)
{
  return cachet_cli_run_subcommand ("account", account_commands, G_N_ELEMENTS (account_commands),
                                    argc, argv);
}
