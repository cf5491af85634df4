/* cachet-outbox-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-outbox-model.h"
#include "cachet-outbox-window.h"

/* The messages of every account's outbox, with where each one stands, and
 * the user's two ways out of a problem: try again now, or give up on the
 * message. */

struct _CachetOutboxWindow
{
  AdwWindow            parent_instance;

  CachetSenderService *sender;
  GListModel          *messages;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkListBox          *message_list;
};

G_DEFINE_FINAL_TYPE (CachetOutboxWindow, cachet_outbox_window, ADW_TYPE_WINDOW)

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  /* Translators: a time of day, see g_date_time_format() */
  return g_date_time_format (time, _("%H:%M"));
}

/**
 * cachet_outbox_window_format_failure:
 * @subject: the subject of the message, possibly empty
 * @reason: what went wrong
 * @next_attempt: as given by #CachetSenderService::send-failed
 *
 * Returns: (transfer full): a short text telling the user, plain: escape it
 *   before making it the title of an #AdwToast, which is markup
 */
char *
cachet_outbox_window_format_failure (const char *subject,
                                     const char *reason,
                                     gint64      next_attempt)
{
  g_autofree char *time = NULL;

  if (subject == NULL || subject[0] == '\0')
    subject = _("(No subject)");
  if (next_attempt == 0)
    return g_strdup_printf (_("Could not send “%s”: %s. Open the Outbox to retry or cancel."),
                            subject, reason);

  time = format_time (next_attempt);
  return g_strdup_printf (_("Could not send “%s”: %s. It will be tried again at %s."),
                          subject, reason, time);
}

static char *
describe_state (const CachetOutboxEntry *entry)
{
  g_autofree char *time = NULL;

  switch (entry->state)
    {
    case CACHET_OUTBOX_SENDING:
      return g_strdup (_("Sending…"));
    case CACHET_OUTBOX_ACCEPTED:
      return g_strdup (_("Sent, saving a copy"));
    case CACHET_OUTBOX_FAILED:
      return g_strdup_printf (_("Failed: %s"), entry->last_error != NULL ? entry->last_error : "");
    case CACHET_OUTBOX_QUEUED:
    default:
      if (entry->last_error == NULL)
        return g_strdup (_("Waiting to send"));
      time = format_time (entry->next_attempt);
      /* Translators: the first %s is what went wrong, the second a time */
      return g_strdup_printf (_("Not sent yet: %s. Next attempt at %s"), entry->last_error, time);
    }
}

static char *
describe_entry (CachetOutboxItem *item)
{
  const CachetOutboxEntry *entry = cachet_outbox_item_get_entry (item);
  g_autofree char *recipients = cachet_outbox_item_dup_recipients (item);
  g_autofree char *state = describe_state (entry);
  g_autofree char *attempts = NULL;

  if (entry->attempts == 0)
    return g_strdup_printf (_("To %s\n%s"), recipients, state);
  attempts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attempt", "%u attempts", entry->attempts),
                              entry->attempts);
  /* Translators: the recipients, then where the message stands, then how
   * many times sending was tried */
  return g_strdup_printf (_("To %s\n%s · %s"), recipients, state, attempts);
}

static GtkWidget *
new_row_button (const char       *icon_name,
                const char       *label,
                const char       *action_name,
                CachetOutboxItem *item,
                gboolean          visible)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)",
                                    cachet_outbox_item_get_account_id (item),
                                    cachet_outbox_item_get_entry (item)->id);
  gtk_widget_set_visible (button, visible);

  return button;
}

static const char *
display_subject (const CachetOutboxEntry *entry)
{
  return entry->subject != NULL && entry->subject[0] != '\0' ? entry->subject : _("(No subject)");
}

static GtkWidget *
create_message_row (gpointer item,
                    gpointer user_data)
{
  CachetOutboxItem *message = item;
  const CachetOutboxEntry *entry = cachet_outbox_item_get_entry (message);
  const char *subject = display_subject (entry);
  /* Once the server has the message, neither applies. */
  gboolean can_act = entry->state == CACHET_OUTBOX_QUEUED || entry->state == CACHET_OUTBOX_FAILED;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *description = describe_entry (message);
  g_autofree char *retry_label = g_strdup_printf (_("Send “%s” Now"), subject);
  g_autofree char *cancel_label = g_strdup_printf (_("Cancel Sending “%s”"), subject);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), subject);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             new_row_button ("view-refresh-symbolic", retry_label, "outbox.retry", message,
                                             can_act));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             new_row_button ("user-trash-symbolic", cancel_label, "outbox.cancel", message,
                                             can_act));

  return row;
}

static void
show_error (CachetOutboxWindow *self,
            const GError       *error)
{
  /* A toast's title is markup; a server's message may hold "<address>". */
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* Items are snapshots replaced on every change: an action names its message
 * by account and id, and finds it as it stands now. */
static CachetOutboxItem *
find_item (CachetOutboxWindow *self,
           GVariant           *parameter)
{
  const char *account_id;
  const char *id;
  guint n_items = g_list_model_get_n_items (self->messages);

  g_variant_get (parameter, "(&s&s)", &account_id, &id);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CachetOutboxItem) item = g_list_model_get_item (self->messages, i);

      if (g_str_equal (cachet_outbox_item_get_account_id (item), account_id) &&
          g_str_equal (cachet_outbox_item_get_entry (item)->id, id))
        return g_steal_pointer (&item);
    }
  return NULL;
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CachetOutboxWindow *self = CACHET_OUTBOX_WINDOW (widget);
  g_autoptr(CachetOutboxItem) item = find_item (self, parameter);
  g_autoptr(GError) error = NULL;

  if (item != NULL && !cachet_sender_service_retry (self->sender, item, &error))
    show_error (self, error);
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  CachetOutboxWindow *self = CACHET_OUTBOX_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  CachetOutboxItem *item = user_data;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "delete") && !cachet_sender_service_cancel (self->sender, item, &error))
    show_error (self, error);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CachetOutboxWindow *self = CACHET_OUTBOX_WINDOW (widget);
  g_autoptr(CachetOutboxItem) item = find_item (self, parameter);
  GtkWidget *dialog;

  if (item == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Cancel Sending?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will be deleted without being sent."),
                                  display_subject (cachet_outbox_item_get_entry (item)));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep"),
                                    "delete", _("_Delete Message"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_data (dialog, "response", G_CALLBACK (cancel_response_cb),
                         g_steal_pointer (&item), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
messages_changed_cb (CachetOutboxWindow *self)
{
  gboolean empty = g_list_model_get_n_items (self->messages) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "messages");
}

/**
 * cachet_outbox_window_new:
 * @sender: what sends the outboxes shown
 *
 * Returns: (transfer full): a window showing every account's outbox
 */
CachetOutboxWindow *
cachet_outbox_window_new (CachetSenderService *sender)
{
  CachetOutboxWindow *self;

  g_return_val_if_fail (CACHET_IS_SENDER_SERVICE (sender), NULL);

  self = g_object_new (CACHET_TYPE_OUTBOX_WINDOW, NULL);
  self->sender = g_object_ref (sender);
  self->messages = G_LIST_MODEL (gtk_flatten_list_model_new (g_object_ref (cachet_sender_service_get_outboxes (sender))));
  gtk_list_box_bind_model (self->message_list, self->messages, create_message_row, NULL, NULL);
  g_signal_connect_object (self->messages, "items-changed", G_CALLBACK (messages_changed_cb), self,
                           G_CONNECT_SWAPPED);
  messages_changed_cb (self);

  return self;
}

static void
cachet_outbox_window_dispose (GObject *object)
{
  CachetOutboxWindow *self = CACHET_OUTBOX_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_OUTBOX_WINDOW);
  g_clear_object (&self->messages);
  g_clear_object (&self->sender);

  G_OBJECT_CLASS (cachet_outbox_window_parent_class)->dispose (object);
}

static void
cachet_outbox_window_class_init (CachetOutboxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_outbox_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-outbox-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetOutboxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetOutboxWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CachetOutboxWindow, message_list);

  gtk_widget_class_install_action (widget_class, "outbox.retry", "(ss)", retry_action);
  gtk_widget_class_install_action (widget_class, "outbox.cancel", "(ss)", cancel_action);
}

static void
cachet_outbox_window_init (CachetOutboxWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
