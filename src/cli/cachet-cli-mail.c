/* cachet-cli-mail.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "cachet-account-sync.h"
#include "cachet-cli.h"
#include "cachet-message-summary.h"
#include "cachet-secret-credentials.h"
#include "cachet-store.h"

/* Reading the mail kept on this computer: it works offline, from the index
 * and the Maildirs. */

static char *
format_date (GDateTime *date)
{
  return date != NULL ? g_date_time_format_iso8601 (date) : NULL;
}

static void
add_message_info (JsonBuilder       *builder,
                  CachetMessageInfo *info)
{
  CachetMessageFlags flags = cachet_message_info_get_flags (info);
  g_autofree char *date = format_date (cachet_message_info_get_date (info));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uid");
  json_builder_add_int_value (builder, cachet_message_info_get_uid (info));
  cachet_cli_add_string (builder, "date", date);
  cachet_cli_add_string (builder, "from_name", cachet_message_info_get_from_name (info));
  cachet_cli_add_string (builder, "from_address", cachet_message_info_get_from_address (info));
  cachet_cli_add_string (builder, "to", cachet_message_info_get_to (info));
  cachet_cli_add_string (builder, "subject", cachet_message_info_get_subject (info));
  json_builder_set_member_name (builder, "seen");
  json_builder_add_boolean_value (builder, (flags & CACHET_MESSAGE_FLAG_SEEN) != 0);
  json_builder_set_member_name (builder, "flagged");
  json_builder_add_boolean_value (builder, (flags & CACHET_MESSAGE_FLAG_FLAGGED) != 0);
  json_builder_set_member_name (builder, "has_attachment");
  json_builder_add_boolean_value (builder, cachet_message_info_get_has_attachment (info));
  json_builder_set_member_name (builder, "signed");
  json_builder_add_boolean_value (builder, cachet_message_info_get_is_signed (info));
  json_builder_set_member_name (builder, "encrypted");
  json_builder_add_boolean_value (builder, cachet_message_info_get_is_encrypted (info));
  json_builder_end_object (builder);
}

int
cachet_cli_messages (int    argc,
                     char **argv)
{
  g_autofree char *account_name = NULL;
  g_autofree char *folder = g_strdup ("INBOX");
  gboolean json = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Name of the account"), N_("NAME") },
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder, N_("Folder (INBOX by default)"), N_("FOLDER") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most this many messages, newest first (50 by default)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _("List the messages of a folder kept on this computer, newest first."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (limit <= 0)
    {
      g_printerr (_("cachet-cli: --limit must be a positive number\n"));
      return CACHET_CLI_USAGE;
    }

  if ((account = cachet_cli_find_account (account_name)) == NULL ||
      (store = cachet_cli_open_store (account)) == NULL)
    return CACHET_CLI_FAILED;

  messages = cachet_store_list_messages (store, folder, 0, limit, &error);
  if (messages == NULL)
    return cachet_cli_fail (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    {
      CachetMessageInfo *info = g_ptr_array_index (messages, i);

      if (json)
        {
          add_message_info (builder, info);
        }
      else
        {
          g_autofree char *date = format_date (cachet_message_info_get_date (info));
          const char *from = cachet_message_info_get_from_name (info);

          if (from == NULL || *from == '\0')
            from = cachet_message_info_get_from_address (info);
          g_print ("%u\t%s\t%s\t%s\n", cachet_message_info_get_uid (info),
                   date != NULL ? date : "-", from != NULL ? from : "-",
                   cachet_message_info_get_subject (info) != NULL ? cachet_message_info_get_subject (info) : "");
        }
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cachet_cli_print_json (root);
    }

  return 0;
}

static void
print_header (const char *name,
              const char *value)
{
  if (value != NULL && *value != '\0')
    g_print ("%s: %s\n", name, value);
}

int
cachet_cli_show (int    argc,
                 char **argv)
{
  g_autofree char *account_name = NULL;
  g_autofree char *folder = g_strdup ("INBOX");
  gboolean json = FALSE, raw = FALSE;
  int uid = 0;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Name of the account"), N_("NAME") },
    { "folder", 0, 0, G_OPTION_ARG_STRING, &folder, N_("Folder (INBOX by default)"), N_("FOLDER") },
    { "uid", 0, 0, G_OPTION_ARG_INT, &uid, N_("UID of the message, as listed by “messages”"), N_("UID") },
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw, N_("Print the message exactly as received"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CachetMessageSummary *summary;
  g_autofree char *to = NULL, *cc = NULL, *date = NULL, *from = NULL;
  int status;

  g_option_context_set_summary (context, _("Show one message kept on this computer."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (uid <= 0)
    {
      g_printerr (_("cachet-cli: say which message with --uid UID\n"));
      return CACHET_CLI_USAGE;
    }

  if ((account = cachet_cli_find_account (account_name)) == NULL ||
      (store = cachet_cli_open_store (account)) == NULL)
    return CACHET_CLI_FAILED;

  bytes = cachet_store_load_message (store, folder, uid, NULL, &error);
  if (bytes == NULL)
    return cachet_cli_fail (error);

  if (raw)
    {
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      return fwrite (data, 1, length, stdout) == length ? 0 : CACHET_CLI_FAILED;
    }

  summary = cachet_message_summary_new_from_bytes (bytes, &error);
  if (summary == NULL)
    return cachet_cli_fail (error);

  to = cachet_message_address_list_to_string (summary->to);
  cc = cachet_message_address_list_to_string (summary->cc);
  date = format_date (summary->date);
  if (summary->from != NULL)
    from = summary->from->name != NULL && *summary->from->name != '\0'
           ? g_strdup_printf ("%s <%s>", summary->from->name, summary->from->address)
           : g_strdup (summary->from->address);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uid");
      json_builder_add_int_value (builder, uid);
      cachet_cli_add_string (builder, "message_id", summary->message_id);
      cachet_cli_add_string (builder, "date", date);
      cachet_cli_add_string (builder, "from", from);
      cachet_cli_add_string (builder, "to", to);
      cachet_cli_add_string (builder, "cc", cc);
      cachet_cli_add_string (builder, "subject", summary->subject);
      json_builder_set_member_name (builder, "has_attachment");
      json_builder_add_boolean_value (builder, summary->has_attachment);
      cachet_cli_add_string (builder, "body", summary->body_text);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      cachet_cli_print_json (root);
    }
  else
    {
      /* Translators: mail header names, as shown above a message. */
      print_header (_("From"), from);
      print_header (_("To"), to);
      print_header (_("Cc"), cc);
      print_header (_("Date"), date);
      print_header (_("Subject"), summary->subject);
      g_print ("\n%s\n", summary->body_text);
    }

  cachet_message_summary_free (summary);
  return 0;
}

int
cachet_cli_reindex (int    argc,
                    char **argv)
{
  g_autofree char *account_name = NULL;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Only this account (all by default)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccountList) accounts = NULL;
  int status;

  g_option_context_set_summary (context, _("Rebuild the message index from the mail stored on this computer. "
                                           "The index is derived data: nothing is downloaded or lost."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((accounts = cachet_cli_load_accounts ()) == NULL)
    return CACHET_CLI_FAILED;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      g_autoptr(CachetStore) store = NULL;
      g_autoptr(GError) error = NULL;

      if (account_name != NULL && g_strcmp0 (account_name, cachet_account_get_name (account)) != 0)
        continue;
      if ((store = cachet_cli_open_store (account)) == NULL)
        return CACHET_CLI_FAILED;
      if (!cachet_store_reindex (store, NULL, &error))
        return cachet_cli_fail (error);
      g_print (_("Reindexed “%s”\n"), cachet_account_get_name (account));
    }

  return 0;
}

int
cachet_cli_sync (int    argc,
                 char **argv)
{
  g_autofree char *account_name = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Only this account (all by default)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccountList) accounts = NULL;
  g_autoptr(CachetSecretCredentials) credentials = cachet_secret_credentials_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int status = 0;

  g_option_context_set_summary (context, _("Download new mail and bring every folder kept on this computer "
                                           "up to date with the server."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((accounts = cachet_cli_load_accounts ()) == NULL)
    return CACHET_CLI_FAILED;

  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      g_autoptr(CachetStore) store = NULL;
      g_autoptr(CachetAccountSync) sync = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      CachetSyncReport report;

      if (account_name != NULL && g_strcmp0 (account_name, cachet_account_get_name (account)) != 0)
        continue;
      if ((store = cachet_cli_open_store (account)) == NULL)
        return CACHET_CLI_FAILED;

      sync = cachet_account_sync_new (account, CACHET_CREDENTIALS_PROVIDER (credentials), store);
      cachet_account_sync_run_async (sync, NULL, cachet_cli_result_cb, &result);
      if (!cachet_account_sync_run_finish (sync, cachet_cli_wait (&result), &report, &error))
        {
          /* The other accounts are still worth syncing. */
          g_printerr ("cachet-cli: %s: %s\n", cachet_account_get_name (account), error->message);
          status = CACHET_CLI_FAILED;
          continue;
        }

      if (!json)
        {
          g_print (_("%s: %u folders, %u new messages, %u removed, %u with new flags\n"),
                   cachet_account_get_name (account), report.folders, report.added,
                   report.removed, report.flags_changed);
          if (report.replayed > 0 || report.failed_actions > 0)
            g_print (_("%s: %u changes made here reached the server, %u were refused (see “cachet-cli pending”)\n"),
                     cachet_account_get_name (account), report.replayed, report.failed_actions);
          continue;
        }
      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "account", cachet_account_get_name (account));
      json_builder_set_member_name (builder, "folders");
      json_builder_add_int_value (builder, report.folders);
      json_builder_set_member_name (builder, "added");
      json_builder_add_int_value (builder, report.added);
      json_builder_set_member_name (builder, "removed");
      json_builder_add_int_value (builder, report.removed);
      json_builder_set_member_name (builder, "flags_changed");
      json_builder_add_int_value (builder, report.flags_changed);
      json_builder_set_member_name (builder, "new_in_inbox");
      json_builder_add_int_value (builder, report.new_in_inbox);
      json_builder_set_member_name (builder, "replayed");
      json_builder_add_int_value (builder, report.replayed);
      json_builder_set_member_name (builder, "failed_actions");
      json_builder_add_int_value (builder, report.failed_actions);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cachet_cli_print_json (root);
    }

  return status;
}
