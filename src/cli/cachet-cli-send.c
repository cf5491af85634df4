/* cachet-cli-send.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-cli.h"
#include "cachet-message-builder.h"
#include "cachet-outbox-sender.h"
#include "cachet-secret-credentials.h"

/* Sending always goes through the outbox: the message is kept durably first,
 * then sent. Whatever happens next, it is either sent or still waiting. */

static CachetOutboxReport *
flush (CachetAccount  *account,
       CachetOutbox   *outbox,
       GError        **error)
{
  g_autoptr(CachetSecretCredentials) credentials = cachet_secret_credentials_new ();
  g_autoptr(CachetOutboxSender) sender =
    cachet_outbox_sender_new (account, CACHET_CREDENTIALS_PROVIDER (credentials), outbox);
  g_autoptr(GAsyncResult) result = NULL;

  cachet_outbox_sender_flush_async (sender, NULL, cachet_cli_result_cb, &result);
  return cachet_outbox_sender_flush_finish (sender, cachet_cli_wait (&result), error);
}

static CachetOutboxEntry *
find_entry (CachetOutbox  *outbox,
            const char    *id,
            GError       **error)
{
  g_autoptr(GPtrArray) entries = cachet_outbox_list (outbox, error);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_str_equal (entry->id, id))
        return g_ptr_array_steal_index (entries, i);
    }
  return NULL;
}

int
cachet_cli_send (int    argc,
                 char **argv)
{
  g_autofree char *account_name = NULL, *subject = NULL, *body = NULL, *body_file = NULL;
  g_auto(GStrv) to = NULL, cc = NULL, attachments = NULL;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Name of the account"), N_("NAME") },
    { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &to, N_("A recipient (repeat for several)"), N_("ADDRESS") },
    { "cc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &cc, N_("A recipient in copy (repeat for several)"), N_("ADDRESS") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("Subject of the message"), N_("SUBJECT") },
    { "body", 0, 0, G_OPTION_ARG_STRING, &body, N_("Text of the message"), N_("TEXT") },
    { "body-file", 0, 0, G_OPTION_ARG_FILENAME, &body_file, N_("Read the text of the message from this UTF-8 file"), N_("FILE") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attachments, N_("Attach this file (repeat for several)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetMessageBuilder) builder = NULL;
  g_autoptr(CachetOutbox) outbox = NULL;
  g_autoptr(CachetOutboxEntry) queued = NULL;
  g_autoptr(CachetOutboxEntry) left = NULL;
  g_autoptr(CachetOutboxReport) report = NULL;
  g_autoptr(GBytes) message = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _("Send a message. It is kept in the outbox until the server "
                                           "accepts it, then copied to the Sent folder."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (subject == NULL || (body == NULL) == (body_file == NULL))
    {
      g_printerr (_("cachet-cli: give --subject, and the text with either --body or --body-file\n"));
      return CACHET_CLI_USAGE;
    }
  if (body_file != NULL)
    {
      if (!g_file_get_contents (body_file, &body, NULL, &error))
        return cachet_cli_fail (error);
      if (!g_utf8_validate (body, -1, NULL))
        {
          g_printerr (_("cachet-cli: “%s” is not UTF-8 text\n"), body_file);
          return CACHET_CLI_FAILED;
        }
    }

  if ((account = cachet_cli_find_account (account_name)) == NULL)
    return CACHET_CLI_FAILED;

  builder = cachet_message_builder_new (cachet_account_get_name (account), cachet_account_get_address (account));
  for (guint i = 0; to != NULL && to[i] != NULL; i++)
    cachet_message_builder_add_to (builder, to[i]);
  for (guint i = 0; cc != NULL && cc[i] != NULL; i++)
    cachet_message_builder_add_cc (builder, cc[i]);
  cachet_message_builder_set_subject (builder, subject);
  cachet_message_builder_set_body (builder, body);
  for (guint i = 0; attachments != NULL && attachments[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (attachments[i]);

      if (!cachet_message_builder_add_attachment (builder, file, NULL, &error))
        return cachet_cli_fail (error);
    }
  if ((message = cachet_message_builder_build (builder, &error)) == NULL)
    return cachet_cli_fail (error);

  recipients = cachet_message_builder_dup_recipients (builder);
  outbox = cachet_outbox_new_for_account (cachet_account_get_id (account));
  if ((queued = cachet_outbox_enqueue (outbox, message, (const char * const *) recipients, &error)) == NULL)
    return cachet_cli_fail (error);

  if ((report = flush (account, outbox, &error)) == NULL)
    return cachet_cli_fail (error);

  left = find_entry (outbox, queued->id, &error);
  if (error != NULL)
    return cachet_cli_fail (error);
  if (left == NULL)
    return 0;
  if (left->state == CACHET_OUTBOX_FAILED)
    {
      g_printerr (_("cachet-cli: the message was refused: %s\n"), left->last_error);
      return CACHET_CLI_FAILED;
    }
  g_printerr (_("cachet-cli: the message is kept in the outbox and will be sent later (%s)\n"),
              left->last_error != NULL ? left->last_error : _("not sent yet"));
  return CACHET_CLI_LATER;
}

static void
print_entries (GPtrArray *entries,
               gboolean   json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      CachetOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *recipients = g_strjoinv (", ", entry->recipients);

      if (!json)
        {
          g_print ("%s\t%s\t%s\t%s\n", entry->id, cachet_outbox_state_to_string (entry->state),
                   recipients, entry->last_error != NULL ? entry->last_error : "");
          continue;
        }
      json_builder_begin_object (builder);
      cachet_cli_add_string (builder, "id", entry->id);
      cachet_cli_add_string (builder, "state", cachet_outbox_state_to_string (entry->state));
      json_builder_set_member_name (builder, "recipients");
      json_builder_begin_array (builder);
      for (guint r = 0; entry->recipients[r] != NULL; r++)
        json_builder_add_string_value (builder, entry->recipients[r]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "attempts");
      json_builder_add_int_value (builder, entry->attempts);
      json_builder_set_member_name (builder, "next_attempt");
      json_builder_add_int_value (builder, entry->next_attempt);
      cachet_cli_add_string (builder, "last_error", entry->last_error);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cachet_cli_print_json (root);
    }
}

int
cachet_cli_outbox (int    argc,
                   char **argv)
{
  g_autofree char *account_name = NULL;
  gboolean json = FALSE, do_flush = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Name of the account"), N_("NAME") },
    { "flush", 0, 0, G_OPTION_ARG_NONE, &do_flush, N_("Send the messages that are due now"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetOutbox) outbox = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _("List the messages waiting in the outbox, and send those that are due with --flush."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;

  if ((account = cachet_cli_find_account (account_name)) == NULL)
    return CACHET_CLI_FAILED;
  outbox = cachet_outbox_new_for_account (cachet_account_get_id (account));

  if (do_flush)
    {
      g_autoptr(CachetOutboxReport) report = flush (account, outbox, &error);

      if (report == NULL)
        return cachet_cli_fail (error);
      if (!json)
        g_printerr (_("Sent: %u, waiting: %u, refused: %u\n"), report->sent, report->waiting, report->failed);
    }

  if ((waiting = cachet_outbox_list (outbox, &error)) == NULL)
    return cachet_cli_fail (error);
  print_entries (waiting, json);

  return 0;
}
