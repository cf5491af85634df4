/* cachet-cli-actions.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-cli.h"
#include "cachet-store.h"

/* Acting on messages: flag, move, delete. Each command changes the copy on
 * this computer at once and queues the change for the server, where the
 * next "cachet-cli sync" (or the window) replays it: it works offline. */

/* What every action command takes: the messages it acts on. */
typedef struct
{
  char     *account_name;
  char     *folder;
  char    **uid_args;
  gboolean  json;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->account_name, g_free);
  g_clear_pointer (&target->folder, g_free);
  g_clear_pointer (&target->uid_args, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

static void
add_target_entries (GOptionContext *context,
                    Target         *target)
{
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &target->account_name, N_("Name of the account"), N_("NAME") },
    { "folder", 0, 0, G_OPTION_ARG_STRING, &target->folder, N_("Folder the messages are in (INBOX by default)"), N_("FOLDER") },
    { "uid", 0, 0, G_OPTION_ARG_STRING_ARRAY, &target->uid_args,
      N_("UID of a message, as listed by “messages”; repeat, or separate with commas, for several"), N_("UID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &target->json, N_("Print the queued actions as JSON"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* The UIDs given, or %NULL after telling the user what is wrong. */
static GArray *
parse_uids (char **uid_args)
{
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; uid_args != NULL && uid_args[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (uid_args[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          guint64 value;
          guint32 uid;

          if (!g_ascii_string_to_unsigned (g_strstrip (parts[j]), 10, 1, G_MAXUINT32, &value, NULL))
            {
              g_printerr (_("cachet-cli: “%s” is not a UID; UIDs are positive numbers\n"), parts[j]);
              return NULL;
            }
          uid = (guint32) value;
          g_array_append_val (uids, uid);
        }
    }
  if (uids->len == 0)
    {
      g_printerr (_("cachet-cli: say which messages with --uid UID\n"));
      return NULL;
    }
  return g_steal_pointer (&uids);
}

/* Opens the target's store and reads the UIDs given and the folder's
 * UIDVALIDITY they belong to. Returns an exit status, 0 on success. */
static int
open_target (Target         *target,
             CachetStore   **store,
             GArray        **uids,
             guint32        *uidvalidity)
{
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetFolderInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (target->folder == NULL)
    target->folder = g_strdup ("INBOX");
  if ((*uids = parse_uids (target->uid_args)) == NULL)
    return CACHET_CLI_USAGE;
  if ((account = cachet_cli_find_account (target->account_name)) == NULL ||
      (*store = cachet_cli_open_store (account)) == NULL)
    return CACHET_CLI_FAILED;

  info = cachet_store_get_folder (*store, target->folder, &error);
  if (info == NULL)
    return cachet_cli_fail (error);
  *uidvalidity = info->uidvalidity;
  return 0;
}

static void
add_action (JsonBuilder               *builder,
            const CachetPendingAction *action)
{
  static const struct { CachetMessageFlags flag; const char *name; } flag_names[] = {
    { CACHET_MESSAGE_FLAG_SEEN, "seen" },
    { CACHET_MESSAGE_FLAG_ANSWERED, "answered" },
    { CACHET_MESSAGE_FLAG_FLAGGED, "flagged" },
    { CACHET_MESSAGE_FLAG_DELETED, "deleted" },
    { CACHET_MESSAGE_FLAG_DRAFT, "draft" },
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, action->id);
  cachet_cli_add_string (builder, "kind", cachet_pending_action_kind_to_string (action->kind));
  cachet_cli_add_string (builder, "state", cachet_pending_action_state_to_string (action->state));
  cachet_cli_add_string (builder, "folder", action->folder);
  json_builder_set_member_name (builder, "uids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < action->uids->len; i++)
    json_builder_add_int_value (builder, g_array_index (action->uids, guint32, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "flags");
  json_builder_begin_array (builder);
  for (gsize i = 0; i < G_N_ELEMENTS (flag_names); i++)
    {
      if ((action->flags & flag_names[i].flag) != 0)
        json_builder_add_string_value (builder, flag_names[i].name);
    }
  json_builder_end_array (builder);
  cachet_cli_add_string (builder, "target_folder", action->target_folder);
  cachet_cli_add_string (builder, "message_id", action->message_id);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, action->attempts);
  cachet_cli_add_string (builder, "last_error", action->last_error);
  json_builder_end_object (builder);
}

/* Applies and queues each action; with --json, prints them. */
static int
apply_actions (CachetStore *store,
               GPtrArray   *actions,
               gboolean     json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < actions->len; i++)
    {
      CachetPendingAction *action = g_ptr_array_index (actions, i);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      cachet_store_apply_action_async (store, action, NULL, NULL, cachet_cli_result_cb, &result);
      action->id = cachet_store_apply_action_finish (store, cachet_cli_wait (&result), &error);
      if (action->id == 0)
        return cachet_cli_fail (error);
      add_action (builder, action);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cachet_cli_print_json (root);
    }
  return 0;
}

/* Says what a move or deletion did, with a plain-text output. */
static void
print_removal (const CachetPendingAction *action)
{
  if (action->kind == CACHET_PENDING_ACTION_MOVE)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u message moved to “%s”; the server follows at the next sync.\n",
                          "%u messages moved to “%s”; the server follows at the next sync.\n",
                          action->uids->len),
             action->uids->len, action->target_folder);
  else
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u message deleted; the server follows at the next sync.\n",
                          "%u messages deleted; the server follows at the next sync.\n",
                          action->uids->len),
             action->uids->len);
}

int
cachet_cli_flag (int    argc,
                 char **argv)
{
  g_auto(Target) target = { 0 };
  gboolean seen = FALSE, unseen = FALSE, flagged = FALSE, unflagged = FALSE;
  const GOptionEntry entries[] = {
    { "seen", 0, 0, G_OPTION_ARG_NONE, &seen, N_("Mark as read"), NULL },
    { "unseen", 0, 0, G_OPTION_ARG_NONE, &unseen, N_("Mark as unread"), NULL },
    { "flagged", 0, 0, G_OPTION_ARG_NONE, &flagged, N_("Flag for follow-up"), NULL },
    { "unflagged", 0, 0, G_OPTION_ARG_NONE, &unflagged, N_("Remove the follow-up flag"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_pending_action_free);
  CachetMessageFlags add = 0, remove = 0;
  guint32 uidvalidity;
  int status;

  g_option_context_set_summary (context, _("Mark messages as read or unread, flagged or not."));
  add_target_entries (context, &target);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if ((seen && unseen) || (flagged && unflagged) || !(seen || unseen || flagged || unflagged))
    {
      g_printerr (_("cachet-cli: say what to change: --seen or --unseen, --flagged or --unflagged "
                    "(at most one of each pair)\n"));
      return CACHET_CLI_USAGE;
    }
  if ((status = open_target (&target, &store, &uids, &uidvalidity)) != 0)
    return status;

  add = (seen ? CACHET_MESSAGE_FLAG_SEEN : 0) | (flagged ? CACHET_MESSAGE_FLAG_FLAGGED : 0);
  remove = (unseen ? CACHET_MESSAGE_FLAG_SEEN : 0) | (unflagged ? CACHET_MESSAGE_FLAG_FLAGGED : 0);
  for (int i = 0; i < 2; i++)
    {
      CachetMessageFlags flags = i == 0 ? add : remove;
      CachetPendingAction *action;

      if (flags == 0)
        continue;
      action = cachet_pending_action_new (i == 0 ? CACHET_PENDING_ACTION_ADD_FLAGS :
                                          CACHET_PENDING_ACTION_REMOVE_FLAGS, target.folder);
      action->uidvalidity = uidvalidity;
      action->flags = flags;
      g_array_append_vals (action->uids, uids->data, uids->len);
      g_ptr_array_add (actions, action);
    }
  if ((status = apply_actions (store, actions, target.json)) != 0)
    return status;
  if (!target.json)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u message updated; the server follows at the next sync.\n",
                          "%u messages updated; the server follows at the next sync.\n",
                          uids->len),
             uids->len);
  return 0;
}

int
cachet_cli_move (int    argc,
                 char **argv)
{
  g_auto(Target) target = { 0 };
  g_autofree char *destination = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &destination, N_("Folder to move the messages to"), N_("FOLDER") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_pending_action_free);
  CachetPendingAction *action;
  guint32 uidvalidity;
  int status;

  g_option_context_set_summary (context, _("Move messages to another folder."));
  add_target_entries (context, &target);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if (destination == NULL)
    {
      g_printerr (_("cachet-cli: say where to move the messages with --to FOLDER\n"));
      return CACHET_CLI_USAGE;
    }
  if ((status = open_target (&target, &store, &uids, &uidvalidity)) != 0)
    return status;

  action = cachet_pending_action_new (CACHET_PENDING_ACTION_MOVE, target.folder);
  action->uidvalidity = uidvalidity;
  action->target_folder = g_steal_pointer (&destination);
  g_array_append_vals (action->uids, uids->data, uids->len);
  g_ptr_array_add (actions, action);
  if ((status = apply_actions (store, actions, target.json)) != 0)
    return status;
  if (!target.json)
    print_removal (action);
  return 0;
}

int
cachet_cli_delete (int    argc,
                   char **argv)
{
  g_auto(Target) target = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GArray) uids = NULL;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func ((GDestroyNotify) cachet_pending_action_free);
  g_autoptr(GError) error = NULL;
  CachetPendingAction *action;
  guint32 uidvalidity;
  int status;

  g_option_context_set_summary (context, _("Delete messages: they go to the trash, and from the trash "
                                           "(or without a trash) they are deleted for good."));
  add_target_entries (context, &target);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if ((status = open_target (&target, &store, &uids, &uidvalidity)) != 0)
    return status;

  action = cachet_store_new_delete_action (store, target.folder, uidvalidity,
                                           (const guint32 *) (gpointer) uids->data, uids->len, &error);
  if (action == NULL)
    return cachet_cli_fail (error);
  g_ptr_array_add (actions, action);
  if ((status = apply_actions (store, actions, target.json)) != 0)
    return status;
  if (!target.json)
    print_removal (action);
  return 0;
}

int
cachet_cli_pending (int    argc,
                    char **argv)
{
  g_autofree char *account_name = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_("Name of the account"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_set_summary (context, _("List the changes waiting for the server, and those it refused."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cachet_cli_parse_options (context, &argc, &argv)) != 0)
    return status;
  if ((account = cachet_cli_find_account (account_name)) == NULL ||
      (store = cachet_cli_open_store (account)) == NULL)
    return CACHET_CLI_FAILED;

  actions = cachet_store_list_pending_actions (store, &error);
  if (actions == NULL)
    return cachet_cli_fail (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < actions->len; i++)
    {
      const CachetPendingAction *action = g_ptr_array_index (actions, i);

      add_action (builder, action);
      if (!json)
        g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", action->id, action->folder,
                 action->state == CACHET_PENDING_ACTION_FAILED ? action->last_error :
                 /* Translators: the state of a change not sent to the server yet. */
                 _("waiting"));
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      cachet_cli_print_json (root);
    }
  return 0;
}
