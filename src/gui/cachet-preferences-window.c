/* cachet-preferences-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-preferences-window.h"

struct _CachetPreferencesWindow
{
  AdwPreferencesWindow       parent_instance;

  CachetAccountList         *accounts;
  CachetCredentialsProvider *credentials;

  /* Template widgets */
  GtkListBox                *account_list;
};

G_DEFINE_FINAL_TYPE (CachetPreferencesWindow, cachet_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
secrets_cleared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CachetPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_credentials_provider_clear_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The account was removed, but its password could not be removed from the keyring: %s"),
                         error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
    }
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  CachetAccount *account = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove"))
    return;

  if (!cachet_account_list_remove (self->accounts, account, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }

  cachet_credentials_provider_clear_async (self->credentials, cachet_account_get_id (account),
                                           NULL, secrets_cleared_cb, g_object_ref (self));
}

static void
remove_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  CachetAccount *account = user_data;
  GtkRoot *self = gtk_widget_get_root (GTK_WIDGET (button));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will be removed from Cachet, and its password from the keyring. "
                                    "Its mail is deleted from this computer, with any message not sent yet; "
                                    "the messages on the mail server are kept."),
                                  cachet_account_get_name (account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb),
                         g_object_ref (account), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_account_row (gpointer item,
                    gpointer user_data)
{
  CachetAccount *account = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *remove_label = g_strdup_printf (_("Remove “%s”"), cachet_account_get_name (account));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cachet_account_get_name (account));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cachet_account_get_address (account));

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), account, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

  return row;
}

CachetPreferencesWindow *
cachet_preferences_window_new (CachetAccountList         *accounts,
                               CachetCredentialsProvider *credentials)
{
  CachetPreferencesWindow *self;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (CACHET_TYPE_PREFERENCES_WINDOW, NULL);
  self->accounts = g_object_ref (accounts);
  self->credentials = g_object_ref (credentials);
  gtk_list_box_bind_model (self->account_list, G_LIST_MODEL (accounts),
                           create_account_row, NULL, NULL);

  return self;
}

static void
cachet_preferences_window_dispose (GObject *object)
{
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (cachet_preferences_window_parent_class)->dispose (object);
}

static void
cachet_preferences_window_class_init (CachetPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/cachet-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, account_list);
}

static void
cachet_preferences_window_init (CachetPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
