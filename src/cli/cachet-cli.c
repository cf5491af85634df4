/* cachet-cli.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cachet-account-list.h"
#include "cachet-paths.h"
#include "cachet-secret-credentials.h"

/* cachet-cli drives the same engine as the window, for scripts, practice
 * software and benchmarks. Data goes to stdout (as JSON with --json), errors
 * go to stderr with a non-zero exit status. */

typedef int (*CommandFunc) (int    argc,
                            char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  run;
  const char  *summary;
} Command;

static gboolean opt_json;

static const char commands_paths_summary[] = N_("Show the folders where Cachet keeps its data");
static const char command_account_summary[] = N_("Add and list mail accounts");
static const char command_account_add_summary[] = N_("Add a mail account");
static const char command_account_list_summary[] = N_("List the mail accounts");

static int
run_option_context (GOptionContext   *context,
                    int              *argc,
                    char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("cachet-cli: %s\n", error->message);
      return 2;
    }

  return 0;
}

static void
print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
command_paths (int    argc,
               char **argv)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  int status;

  g_option_context_set_summary (context, _(commands_paths_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = run_option_context (context, &argc, &argv)) != 0)
    return status;

  if (opt_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "config");
      json_builder_add_string_value (builder, cachet_paths_get_config_dir ());
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, cachet_paths_get_data_dir ());
      json_builder_set_member_name (builder, "cache");
      json_builder_add_string_value (builder, cachet_paths_get_cache_dir ());
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
    }
  else
    {
      g_print ("%s\t%s\n", _("Settings and accounts"), cachet_paths_get_config_dir ());
      g_print ("%s\t%s\n", _("Mail and indexes"), cachet_paths_get_data_dir ());
      g_print ("%s\t%s\n", _("Cache"), cachet_paths_get_cache_dir ());
    }

  return 0;
}

static CachetAccountList *
load_accounts (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(GError) error = NULL;

  if (!cachet_account_list_load (accounts, &error))
    {
      g_printerr ("cachet-cli: %s\n", error->message);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

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
                                           NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (credentials),
                                                   result, error);
}

/* Reads one line, so that a password never appears in the process list or the
 * shell history. */
static char *
read_secret_from_stdin (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "No password on the standard input");
      return NULL;
    }
  g_strchomp (line);

  return g_steal_pointer (&line);
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

  g_option_context_set_summary (context, _(command_account_add_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = run_option_context (context, &argc, &argv)) != 0)
    return status;

  if ((accounts = load_accounts ()) == NULL)
    return 1;

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
      g_printerr ("cachet-cli: %s\n", error->message);
      return 1;
    }

  /* The secret goes first: an account without its password in the keyring
   * would fail later in a more confusing way. */
  if (password_stdin)
    {
      g_autofree char *secret = read_secret_from_stdin (&error);

      if (secret == NULL || !store_secret (account, CACHET_SECRET_PASSWORD, secret, &error))
        {
          g_printerr (_("cachet-cli: cannot keep the password in the keyring: %s\n"), error->message);
          return 1;
        }
      memset (secret, 0, strlen (secret));
    }

  if (!cachet_account_list_add (accounts, account, &error))
    {
      g_printerr ("cachet-cli: %s\n", error->message);
      return 1;
    }

  return 0;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static int
command_account_list (int    argc,
                      char **argv)
{
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccountList) accounts = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint n_accounts;
  int status;

  g_option_context_set_summary (context, _(command_account_list_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = run_option_context (context, &argc, &argv)) != 0)
    return status;

  if ((accounts = load_accounts ()) == NULL)
    return 1;

  n_accounts = g_list_model_get_n_items (G_LIST_MODEL (accounts));
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_accounts; i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);

      if (!opt_json)
        {
          g_print ("%s\t%s\t%s\t%s\n", cachet_account_get_name (account),
                   cachet_account_get_address (account),
                   cachet_account_get_imap_url (account),
                   cachet_account_get_smtp_url (account));
          continue;
        }

      json_builder_begin_object (builder);
      add_string_member (builder, "id", cachet_account_get_id (account));
      add_string_member (builder, "name", cachet_account_get_name (account));
      add_string_member (builder, "address", cachet_account_get_address (account));
      add_string_member (builder, "imap", cachet_account_get_imap_url (account));
      add_string_member (builder, "smtp", cachet_account_get_smtp_url (account));
      add_string_member (builder, "login", cachet_account_get_login (account));
      add_string_member (builder, "client_cert", cachet_account_get_client_cert (account));
      add_string_member (builder, "ca_file", cachet_account_get_ca_file (account));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (opt_json)
    {
      root = json_builder_get_root (builder);
      print_json (root);
    }

  return 0;
}

static const Command account_commands[] = {
  { "add", command_account_add, command_account_add_summary },
  { "list", command_account_list, command_account_list_summary },
};

static int run_subcommand (const char    *prefix,
                           const Command *table,
                           gsize          n_commands,
                           int            argc,
                           char         **argv);

static int
command_account (int    argc,
                 char **argv)
{
  return run_subcommand ("account", account_commands, G_N_ELEMENTS (account_commands), argc, argv);
}

static const Command commands[] = {
  { "account", command_account, command_account_summary },
  { "paths", command_paths, commands_paths_summary },
};

static void
print_usage (FILE          *stream,
             const char    *prefix,
             const Command *table,
             gsize          n_commands)
{
  g_autofree char *command = prefix != NULL ? g_strconcat (prefix, " ", NULL) : g_strdup ("");

  fprintf (stream, _("Usage: cachet-cli %sCOMMAND [OPTION…]\n\nCommands:\n"), command);
  for (gsize i = 0; i < n_commands; i++)
    fprintf (stream, "  %-12s %s\n", table[i].name, _(table[i].summary));
  fprintf (stream, _("\nRun “cachet-cli %sCOMMAND --help” for the options of a command.\n"), command);
}

static int
run_subcommand (const char    *prefix,
                const Command *table,
                gsize          n_commands,
                int            argc,
                char         **argv)
{
  if (argc < 2)
    {
      print_usage (stderr, prefix, table, n_commands);
      return 2;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout, prefix, table, n_commands);
      return 0;
    }

  for (gsize i = 0; i < n_commands; i++)
    {
      if (g_str_equal (argv[1], table[i].name))
        return table[i].run (argc - 1, argv + 1);
    }

  g_printerr (_("cachet-cli: unknown command “%s”\n"), argv[1]);
  print_usage (stderr, prefix, table, n_commands);
  return 2;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("cachet-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  return run_subcommand (NULL, commands, G_N_ELEMENTS (commands), argc, argv);
}
