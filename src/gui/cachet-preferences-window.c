/* cachet-preferences-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "cachet-certificates-page.h"
#include "cachet-directory.h"
#include "cachet-directory-fhir.h"
#include "cachet-lab-charset.h"
#include "cachet-lab-filer.h"
#include "cachet-preferences-window.h"

struct _CachetPreferencesWindow
{
  AdwPreferencesWindow       parent_instance;

  CachetAccountList         *accounts;
  CachetCredentialsProvider *credentials;

  CachetDirectory           *directory;
  /* Cancelled when the window closes; kept until finalize so that late
   * callbacks can tell. */
  GCancellable              *cancellable;
  GSettings                 *settings;
  /* The folder chooser open, at most one, and the key it sets. */
  GtkFileChooserNative      *lab_chooser;
  const char                *lab_chooser_key;
  /* The lab import journal, once read, where the senders' charsets are
   * kept; NULL while there is none. */
  CachetLabFiler            *lab_filer;
  GHashTable                *lab_charsets;
  GtkStringList             *lab_charset_senders;

  /* Template widgets */
  GtkListBox                *account_list;
  AdwActionRow              *directory_date_row;
  AdwActionRow              *directory_entries_row;
  AdwActionRow              *directory_update_row;
  GtkWidget                 *directory_update_button;
  GtkProgressBar            *directory_progress;
  AdwEntryRow               *directory_api_key_row;
  GtkWidget                 *directory_api_key_saved;
  AdwActionRow              *lab_archive_row;
  AdwActionRow              *lab_inbox_row;
  GtkWidget                 *lab_inbox_clear_button;
  GtkListBox                *lab_account_list;
  GtkWidget                 *lab_by_year_switch;
  GtkWidget                 *lab_html_switch;
  GtkWidget                 *lab_inbox_by_day_switch;
  GtkListBox                *lab_charset_list;
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

/* The extract's date is the publisher's local time, "2026-08-14T03:12":
 * only its day is shown. (GLib's ISO 8601 parser wants seconds, which the
 * date has not.) */
static char *
format_extract_date (const char *extract_date)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;
  int year, month, day;

  if (extract_date == NULL)
    return g_strdup (_("Unknown"));
  if (sscanf (extract_date, "%4d-%2d-%2d", &year, &month, &day) != 3
      || (date = g_date_time_new (utc, year, month, day, 0, 0, 0)) == NULL)
    return g_strdup (extract_date);
  return g_date_time_format (date, "%x");
}

/* A few values kept with the directory: quick enough for the main thread. */
static void
show_directory_info (CachetPreferencesWindow *self)
{
  g_autoptr(CachetDirectoryInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_autofree char *entries = NULL;

  info = cachet_directory_query_info (self->directory, &error);
  if (info == NULL)
    {
      gboolean missing = g_error_matches (error, CACHET_DIRECTORY_ERROR, CACHET_DIRECTORY_ERROR_NOT_IMPORTED);
      /* Row subtitles are markup. */
      g_autofree char *message = g_markup_escape_text (error->message, -1);

      adw_action_row_set_subtitle (self->directory_date_row, missing ? _("None yet") : message);
      adw_action_row_set_subtitle (self->directory_entries_row, missing ? _("Update now to download the directory") : "");
      return;
    }
  date = format_extract_date (info->extract_date);
  entries = g_strdup_printf ("%" G_GUINT64_FORMAT, info->entries);
  adw_action_row_set_subtitle (self->directory_date_row, date);
  adw_action_row_set_subtitle (self->directory_entries_row, entries);
}

static void
directory_progress_cb (double   fraction,
                       gpointer user_data)
{
  CachetPreferencesWindow *self = user_data;

  if (!g_cancellable_is_cancelled (self->cancellable))
    gtk_progress_bar_set_fraction (self->directory_progress, fraction);
}

static void
directory_updated_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CachetPreferencesWindow) self = user_data;
  g_autoptr(CachetDirectoryImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean updated = cachet_directory_update_finish (CACHET_DIRECTORY (source), result, &report, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->directory_progress), FALSE);
  gtk_widget_set_sensitive (self->directory_update_button, TRUE);
  if (!updated)
    {
      g_autofree char *reason = g_markup_escape_text (error->message, -1);
      g_autofree char *message =
        g_strdup_printf (_("The directory could not be updated (%s). The copy you had is still used: "
                           "check the connection, then update again."),
                         reason);

      adw_action_row_set_subtitle (self->directory_update_row, message);
      return;
    }
  adw_action_row_set_subtitle (self->directory_update_row,
                               report == NULL ? _("The directory was already up to date")
                                              : _("The directory is up to date"));
  show_directory_info (self);
}

static void
directory_update_clicked_cb (CachetPreferencesWindow *self)
{
  g_autofree char *url = g_settings_get_string (self->settings, "directory-update-url");

  gtk_widget_set_sensitive (self->directory_update_button, FALSE);
  gtk_progress_bar_set_fraction (self->directory_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->directory_progress), TRUE);
  adw_action_row_set_subtitle (self->directory_update_row, _("Updating…"));
  cachet_directory_update_async (self->directory, url, directory_progress_cb, self, self->cancellable,
                                 directory_updated_cb, g_object_ref (self));
}

static void
directory_api_key_found_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(CachetPreferencesWindow) self = user_data;
  g_autofree char *key = cachet_credentials_provider_lookup_finish (CACHET_CREDENTIALS_PROVIDER (source), result, NULL);

  /* The key itself is never shown: whether there is one is enough. */
  if (!g_cancellable_is_cancelled (self->cancellable))
    gtk_widget_set_visible (self->directory_api_key_saved, key != NULL && *key != '\0');
}

/* After the key was stored or removed: the row says whether there is one. */
static void
directory_api_key_changed (CachetPreferencesWindow *self,
                           gboolean                 done,
                           const GError            *error)
{
  g_autofree char *message = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!done)
    {
      message = g_strdup_printf (_("The API key could not be kept in the keyring (%s): check that the keyring "
                                   "is unlocked, then apply again."),
                                 error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
      return;
    }
  cachet_credentials_provider_lookup_async (self->credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID,
                                            CACHET_SECRET_PASSWORD, self->cancellable, directory_api_key_found_cb,
                                            g_object_ref (self));
}

static void
directory_api_key_stored_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(CachetPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error);

  directory_api_key_changed (self, done, error);
}

static void
directory_api_key_cleared_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(CachetPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = cachet_credentials_provider_clear_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error);

  directory_api_key_changed (self, done, error);
}

/* An empty key removes the one kept. The text does not stay in the row. */
static void
directory_api_key_apply_cb (CachetPreferencesWindow *self)
{
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->directory_api_key_row))));

  gtk_editable_set_text (GTK_EDITABLE (self->directory_api_key_row), "");
  if (*key == '\0')
    cachet_credentials_provider_clear_async (self->credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID, self->cancellable,
                                             directory_api_key_cleared_cb, g_object_ref (self));
  else
    cachet_credentials_provider_store_async (self->credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID,
                                             CACHET_SECRET_PASSWORD, key, self->cancellable,
                                             directory_api_key_stored_cb, g_object_ref (self));
}

static void
show_lab_folders (CachetPreferencesWindow *self)
{
  g_autofree char *archive = g_settings_get_string (self->settings, "lab-archive-folder");
  g_autofree char *inbox = g_settings_get_string (self->settings, "lab-inbox-folder");

  if (*archive == '\0')
    {
      g_autofree char *default_archive = cachet_lab_filer_dup_default_archive ();
      g_autofree char *subtitle = g_strdup_printf (_("Default: %s"), default_archive);

      adw_action_row_set_subtitle (self->lab_archive_row, subtitle);
    }
  else
    adw_action_row_set_subtitle (self->lab_archive_row, archive);
  adw_action_row_set_subtitle (self->lab_inbox_row,
                               *inbox != '\0' ? inbox : _("None: the original files stay in the archive only"));
  gtk_widget_set_sensitive (self->lab_inbox_clear_button, *inbox != '\0');
}

static void
lab_folder_chosen_cb (GtkNativeDialog *dialog,
                      int              response,
                      gpointer         user_data)
{
  CachetPreferencesWindow *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      /* The filer writes with POSIX calls (fsync, rename): a folder seen
       * only through GVfs will not do. */
      if (path == NULL)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Choose a folder of this computer or of a mounted network share")));
      else
        g_settings_set_string (self->settings, self->lab_chooser_key, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->lab_chooser);
}

static void
choose_lab_folder (CachetPreferencesWindow *self,
                   const char              *title,
                   const char              *key)
{
  g_autofree char *current = g_settings_get_string (self->settings, key);

  if (self->lab_chooser != NULL)
    return;
  self->lab_chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                   _("_Select"), _("_Cancel"));
  self->lab_chooser_key = key;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->lab_chooser), TRUE);
  if (*current != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->lab_chooser), file, NULL);
    }
  g_signal_connect (self->lab_chooser, "response", G_CALLBACK (lab_folder_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->lab_chooser));
}

static void
lab_archive_clicked_cb (CachetPreferencesWindow *self)
{
  choose_lab_folder (self, _("Lab Results Archive Folder"), "lab-archive-folder");
}

static void
lab_inbox_clicked_cb (CachetPreferencesWindow *self)
{
  choose_lab_folder (self, _("Practice Software Inbox"), "lab-inbox-folder");
}

static void
lab_inbox_clear_clicked_cb (CachetPreferencesWindow *self)
{
  g_settings_reset (self->settings, "lab-inbox-folder");
}

static void
lab_import_toggled_cb (GtkSwitch  *toggle,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  CachetAccount *account = user_data;
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (gtk_widget_get_root (GTK_WIDGET (toggle)));
  gboolean active = gtk_switch_get_active (toggle);
  g_autoptr(GError) error = NULL;

  if (active == cachet_account_get_lab_import (account))
    return;
  cachet_account_set_lab_import (account, active);
  if (!cachet_account_list_save_changes (self->accounts, &error))
    {
      /* The switch shows what the accounts file says. */
      cachet_account_set_lab_import (account, !active);
      gtk_switch_set_active (toggle, !active);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
    }
}

static GtkWidget *
create_lab_account_row (gpointer item,
                        gpointer user_data)
{
  CachetAccount *account = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  g_autofree char *label = g_strdup_printf (_("File lab results from “%s”"), cachet_account_get_name (account));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cachet_account_get_name (account));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cachet_account_get_address (account));

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), cachet_account_get_lab_import (account));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (lab_import_toggled_cb), account, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);

  return row;
}

/* ---- Text encodings by sender ---------------------------------------- */

typedef struct
{
  CachetLabFiler *filer;
  GHashTable     *charsets;
} LabCharsets;

static void
lab_charsets_free (LabCharsets *loaded)
{
  g_clear_object (&loaded->filer);
  g_clear_pointer (&loaded->charsets, g_hash_table_unref);
  g_free (loaded);
}

/* @task_data: (nullable): the journal already open. Opening it may wait
 * for an import to finish; a journal missing is not created just to find
 * it has no overrides. */
static void
lab_charsets_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LabCharsets *loaded = g_new0 (LabCharsets, 1);
  g_autofree char *journal = cachet_lab_filer_dup_default_journal ();
  g_autofree char *archive = cachet_lab_filer_dup_default_archive ();
  GError *error = NULL;

  loaded->filer = task_data != NULL ? g_object_ref (task_data) : NULL;
  if (loaded->filer == NULL && g_file_test (journal, G_FILE_TEST_EXISTS))
    loaded->filer = cachet_lab_filer_new (journal, archive, NULL, &error);
  if (loaded->filer != NULL)
    loaded->charsets = cachet_lab_filer_dup_sender_charsets (loaded->filer, &error);
  if (error != NULL)
    {
      lab_charsets_free (loaded);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, loaded, (GDestroyNotify) lab_charsets_free);
}

static void
lab_charsets_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) senders = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  LabCharsets *loaded = g_task_propagate_pointer (G_TASK (result), &error);

  if (loaded == NULL)
    {
      g_autofree char *escaped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      escaped = g_markup_escape_text (error->message, -1);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
      return;
    }
  if (loaded->filer == NULL)
    {
      lab_charsets_free (loaded);
      return;
    }
  g_set_object (&self->lab_filer, loaded->filer);
  g_clear_pointer (&self->lab_charsets, g_hash_table_unref);
  self->lab_charsets = g_steal_pointer (&loaded->charsets);
  lab_charsets_free (loaded);

  senders = g_list_sort (g_hash_table_get_keys (self->lab_charsets), (GCompareFunc) g_strcmp0);
  for (GList *l = senders; l != NULL; l = l->next)
    g_ptr_array_add (sorted, l->data);
  g_ptr_array_add (sorted, NULL);
  gtk_string_list_splice (self->lab_charset_senders, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->lab_charset_senders)),
                          (const char * const *) sorted->pdata);
}

static void
load_lab_charsets (CachetPreferencesWindow *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, lab_charsets_loaded_cb, NULL);

  g_task_set_source_tag (task, load_lab_charsets);
  if (self->lab_filer != NULL)
    g_task_set_task_data (task, g_object_ref (self->lab_filer), g_object_unref);
  g_task_run_in_thread (task, lab_charsets_thread);
}

static void
lab_charset_removed_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(CachetPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!cachet_lab_filer_set_sender_charset_finish (CACHET_LAB_FILER (source), result, &error))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
    }
  /* The list shows what the journal keeps, whatever happened. */
  load_lab_charsets (self);
}

static void
lab_charset_remove_clicked_cb (GtkButton       *button,
                               GtkStringObject *sender)
{
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  cachet_lab_filer_set_sender_charset_async (self->lab_filer, gtk_string_object_get_string (sender), NULL,
                                             self->cancellable, lab_charset_removed_cb, g_object_ref (self));
}

static GtkWidget *
create_lab_charset_row (gpointer item,
                        gpointer user_data)
{
  CachetPreferencesWindow *self = user_data;
  const char *sender = gtk_string_object_get_string (item);
  const char *charset = g_hash_table_lookup (self->lab_charsets, sender);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *remove_label = g_strdup_printf (_("Detect the Text Encoding of “%s” Again"), sender);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sender);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cachet_lab_charset_get_label (charset));

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (lab_charset_remove_clicked_cb), item, 0);
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
  cachet_credentials_provider_lookup_async (credentials, CACHET_DIRECTORY_FHIR_ACCOUNT_ID, CACHET_SECRET_PASSWORD,
                                            self->cancellable, directory_api_key_found_cb, g_object_ref (self));
  gtk_list_box_bind_model (self->account_list, G_LIST_MODEL (accounts),
                           create_account_row, NULL, NULL);
  gtk_list_box_bind_model (self->lab_account_list, G_LIST_MODEL (accounts),
                           create_lab_account_row, NULL, NULL);

  return self;
}

/**
 * cachet_preferences_window_add_certificates:
 * @store: the user's certificates
 *
 * Adds the Certificates page, where the accounts' identities, the
 * correspondents' certificates and the trust anchors are managed.
 */
void
cachet_preferences_window_add_certificates (CachetPreferencesWindow *self,
                                            CachetCertificateStore  *store)
{
  g_return_if_fail (CACHET_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (CACHET_IS_CERTIFICATE_STORE (store));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (cachet_certificates_page_new (self->accounts, store,
                                                                                  self->credentials)));
}

static void
cachet_preferences_window_dispose (GObject *object)
{
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->directory);
  /* Its answer would come to a window gone. */
  if (self->lab_chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->lab_chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->lab_chooser));
    }
  g_clear_object (&self->lab_chooser);
  g_clear_object (&self->lab_filer);
  g_clear_pointer (&self->lab_charsets, g_hash_table_unref);
  g_clear_object (&self->lab_charset_senders);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (cachet_preferences_window_parent_class)->dispose (object);
}

static void
cachet_preferences_window_finalize (GObject *object)
{
  CachetPreferencesWindow *self = CACHET_PREFERENCES_WINDOW (object);

  g_object_unref (self->cancellable);

  G_OBJECT_CLASS (cachet_preferences_window_parent_class)->finalize (object);
}

static void
cachet_preferences_window_class_init (CachetPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_preferences_window_dispose;
  object_class->finalize = cachet_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/cachet-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, account_list);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_date_row);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_entries_row);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_update_row);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_update_button);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_progress);
  gtk_widget_class_bind_template_callback (widget_class, directory_update_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_api_key_row);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, directory_api_key_saved);
  gtk_widget_class_bind_template_callback (widget_class, directory_api_key_apply_cb);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_archive_row);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_inbox_row);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_inbox_clear_button);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_account_list);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_by_year_switch);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_html_switch);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_inbox_by_day_switch);
  gtk_widget_class_bind_template_child (widget_class, CachetPreferencesWindow, lab_charset_list);
  gtk_widget_class_bind_template_callback (widget_class, lab_archive_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, lab_inbox_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, lab_inbox_clear_clicked_cb);
}

static void
cachet_preferences_window_init (CachetPreferencesWindow *self)
{
  self->directory = cachet_directory_new (NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  show_directory_info (self);
  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::lab-archive-folder", G_CALLBACK (show_lab_folders), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::lab-inbox-folder", G_CALLBACK (show_lab_folders), self,
                           G_CONNECT_SWAPPED);
  show_lab_folders (self);
  g_settings_bind (self->settings, "lab-archive-by-year", self->lab_by_year_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lab-html-beside-pdf", self->lab_html_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lab-inbox-by-day", self->lab_inbox_by_day_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  self->lab_charsets = g_hash_table_new (g_str_hash, g_str_equal);
  self->lab_charset_senders = gtk_string_list_new (NULL);
  gtk_list_box_bind_model (self->lab_charset_list, G_LIST_MODEL (self->lab_charset_senders),
                           create_lab_charset_row, self, NULL);
  load_lab_charsets (self);
}
