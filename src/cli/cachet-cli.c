/* cachet-cli.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cachet-cli.h"
#include "cachet-cli-directory.h"
#include "cachet-cli-labs.h"
#include "cachet-cli-smime.h"
#include "cachet-mime.h"
#include "cachet-paths.h"

/* cachet-cli drives the same engine as the window, for scripts, practice
 * software and benchmarks. */

static const char paths_summary[] = N_("Show the folders where Cachet keeps its data");
static const char account_summary[] = N_("Add and list mail accounts");
static const char messages_summary[] = N_("List the messages of a folder");
static const char show_summary[] = N_("Show one message");
static const char reindex_summary[] = N_("Rebuild the message index from the mail stored on this computer");
static const char send_summary[] = N_("Send a message");
static const char sync_summary[] = N_("Download new mail and update the folders");
static const char outbox_summary[] = N_("List, and send, the messages waiting in the outbox");
static const char flag_summary[] = N_("Mark messages as read or unread, flagged or not");
static const char move_summary[] = N_("Move messages to another folder");
static const char delete_summary[] = N_("Delete messages (to the trash first)");
static const char smime_summary[] = N_("Sign and check S/MIME messages");
static const char cert_summary[] = N_("Manage the certificates of correspondents and trusted authorities");
static const char directory_summary[] = N_("Search the Annuaire Santé offline, and import it");
static const char labs_summary[] = N_("Import lab results into the patients’ folders");
static const char pending_summary[] = N_("List the changes waiting for the server, and those it refused");

int
cachet_cli_parse_options (GOptionContext   *context,
                          int              *argc,
                          char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("cachet-cli: %s\n", error->message);
      return CACHET_CLI_USAGE;
    }

  return 0;
}

int
cachet_cli_fail (const GError *error)
{
  g_printerr ("cachet-cli: %s\n", error->message);
  return CACHET_CLI_FAILED;
}

void
cachet_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
cachet_cli_add_string (JsonBuilder *builder,
                       const char  *name,
                       const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * cachet_cli_result_cb:
 * @user_data: a `GAsyncResult **` to fill
 *
 * With cachet_cli_wait(), runs an engine `_async` call to completion: the
 * command line does one thing at a time.
 */
void
cachet_cli_result_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/**
 * cachet_cli_wait:
 * @result: the slot given to cachet_cli_result_cb()
 *
 * Returns: (transfer none): the result, once the call has completed
 */
GAsyncResult *
cachet_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/**
 * cachet_cli_load_accounts:
 *
 * Returns: (transfer full) (nullable): the accounts, or %NULL after telling
 *   the user what is wrong
 */
CachetAccountList *
cachet_cli_load_accounts (void)
{
  g_autoptr(CachetAccountList) accounts = cachet_account_list_new_default ();
  g_autoptr(GError) error = NULL;

  if (!cachet_account_list_load (accounts, &error))
    {
      cachet_cli_fail (error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

/**
 * cachet_cli_find_account:
 * @name: (nullable): the name given with --account
 *
 * Returns: (transfer full) (nullable): the account, or %NULL after telling
 *   the user what is wrong
 */
CachetAccount *
cachet_cli_find_account (const char *name)
{
  g_autoptr(CachetAccountList) accounts = NULL;
  g_autoptr(GError) error = NULL;
  CachetAccount *account;

  if (name == NULL)
    {
      g_printerr (_("cachet-cli: say which account with --account NAME\n"));
      return NULL;
    }
  if ((accounts = cachet_cli_load_accounts ()) == NULL)
    return NULL;
  if ((account = cachet_account_list_find_by_name (accounts, name, &error)) == NULL)
    cachet_cli_fail (error);

  return account;
}

/**
 * cachet_cli_open_store:
 * @account: an account
 *
 * Returns: (transfer full) (nullable): the account's local store, or %NULL
 *   after telling the user what is wrong
 */
CachetStore *
cachet_cli_open_store (CachetAccount *account)
{
  g_autoptr(GError) error = NULL;
  CachetStore *store = cachet_store_new (NULL, cachet_account_get_id (account), NULL, &error);

  if (store == NULL)
    cachet_cli_fail (error);
  return store;
}

/* A password or a key is one short line; more is not one. */
#define MAX_SECRET_BYTES 4096

/**
 * cachet_cli_read_secret:
 * @error: return location for a #GError
 *
 * Reads a secret from the standard input, so that it never shows in the
 * process list or the shell history: one line, UTF-8, without its line end.
 *
 * Returns: (transfer full) (nullable): the secret; the caller wipes it
 */
char *
cachet_cli_read_secret (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autofree char *secret = g_malloc0 (MAX_SECRET_BYTES + 1);
  gsize length = 0;

  /* A byte at a time, up to the line end: whoever writes the secret may
   * keep the input open. */
  while (length < MAX_SECRET_BYTES)
    {
      gssize n = g_input_stream_read (input, secret + length, 1, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0 || secret[length] == '\n')
        break;
      length++;
    }
  secret[strcspn (secret, "\r\n")] = '\0';
  if (secret[0] == '\0' || length == MAX_SECRET_BYTES || !g_utf8_validate (secret, -1, NULL))
    {
      memset (secret, 0, MAX_SECRET_BYTES);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Give the secret on one line on the standard input."));
      return NULL;
    }
  return g_steal_pointer (&secret);
}

static int
command_paths (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  int status;

  g_option_context_set_summary (context, _(paths_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "config", cachet_paths_get_config_dir ());
      cachet_cli_add_string (builder, "data", cachet_paths_get_data_dir ());
      cachet_cli_add_string (builder, "cache", cachet_paths_get_cache_dir ());
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else
    {
      g_print ("%s\t%s\n", _("Settings and accounts"), cachet_paths_get_config_dir ());
      g_print ("%s\t%s\n", _("Mail and indexes"), cachet_paths_get_data_dir ());
      g_print ("%s\t%s\n", _("Cache"), cachet_paths_get_cache_dir ());
    }

  return 0;
}

static const CachetCliCommand commands[] = {
  { "account", cachet_cli_account, account_summary },
  { "cert", cachet_cli_cert, cert_summary },
  { "delete", cachet_cli_delete, delete_summary },
  { "directory", cachet_cli_directory, directory_summary },
  { "flag", cachet_cli_flag, flag_summary },
  { "labs", cachet_cli_labs, labs_summary },
  { "messages", cachet_cli_messages, messages_summary },
  { "move", cachet_cli_move, move_summary },
  { "outbox", cachet_cli_outbox, outbox_summary },
  { "paths", command_paths, paths_summary },
  { "pending", cachet_cli_pending, pending_summary },
  { "reindex", cachet_cli_reindex, reindex_summary },
  { "send", cachet_cli_send, send_summary },
  { "show", cachet_cli_show, show_summary },
  { "smime", cachet_cli_smime, smime_summary },
  { "sync", cachet_cli_sync, sync_summary },
};

static void
print_usage (FILE                   *stream,
             const char             *prefix,
             const CachetCliCommand *table,
             gsize                   n_commands)
{
  g_autofree char *command = prefix != NULL ? g_strconcat (prefix, " ", NULL) : g_strdup ("");

  fprintf (stream, _("Usage: cachet-cli %sCOMMAND [OPTION…]\n\nCommands:\n"), command);
  for (gsize i = 0; i < n_commands; i++)
    fprintf (stream, "  %-12s %s\n", table[i].name, _(table[i].summary));
  fprintf (stream, _("\nRun “cachet-cli %sCOMMAND --help” for the options of a command.\n"), command);
}

int
cachet_cli_run_subcommand (const char              *prefix,
                           const CachetCliCommand  *table,
                           gsize                    n_commands,
                           int                      argc,
                           char                   **argv)
{
  if (argc < 2)
    {
      print_usage (stderr, prefix, table, n_commands);
      return CACHET_CLI_USAGE;
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
  return CACHET_CLI_USAGE;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  cachet_mime_init ();

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("cachet-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  return cachet_cli_run_subcommand (NULL, commands, G_N_ELEMENTS (commands), argc, argv);
}
