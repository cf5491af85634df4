/* cachet-application.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-account-data.h"
#include "cachet-add-account-dialog.h"
#include "cachet-attachment-cache.h"
#include "cachet-application.h"
#include "cachet-directory-dialog.h"
#include "cachet-lab-settings.h"
#include "cachet-mime.h"
#include "cachet-outbox-window.h"
#include "cachet-preferences-window.h"
#include "cachet-results-window.h"
#include "cachet-secret-credentials.h"
#include "cachet-window.h"

struct _CachetApplication
{
  AdwApplication           parent_instance;

  GSettings               *settings;
  CachetAccountList       *accounts;
  CachetSecretCredentials *credentials;
  /* Account id → CachetStore: one per account for the whole application,
   * since a store locks its account's files. */
  GHashTable              *stores;
  /* The ids of the accounts in the list, to see which ones were removed. */
  GHashTable              *account_ids;
  CachetSenderService     *sender;
  /* The user's S/MIME certificates, shared by every window. */
  CachetCertificateStore  *certificates;
};

G_DEFINE_FINAL_TYPE (CachetApplication, cachet_application, ADW_TYPE_APPLICATION)

CachetApplication *
cachet_application_new (void)
{
  return g_object_new (CACHET_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

/**
 * cachet_application_get_accounts:
 *
 * Returns: (transfer none): the user's accounts, shared by every window
 */
CachetAccountList *
cachet_application_get_accounts (CachetApplication *self)
{
  g_return_val_if_fail (CACHET_IS_APPLICATION (self), NULL);

  return self->accounts;
}

/**
 * cachet_application_get_credentials:
 *
 * Returns: (transfer none): where the accounts' secrets are kept
 */
CachetCredentialsProvider *
cachet_application_get_credentials (CachetApplication *self)
{
  g_return_val_if_fail (CACHET_IS_APPLICATION (self), NULL);

  return CACHET_CREDENTIALS_PROVIDER (self->credentials);
}

/**
 * cachet_application_get_store:
 * @account: one of the user's accounts
 * @error: return location for a #GError
 *
 * Opens the account's local mail on first use.
 *
 * Returns: (transfer none) (nullable): the account's store
 */
CachetStore *
cachet_application_get_store (CachetApplication  *self,
                              CachetAccount      *account,
                              GError            **error)
{
  const char *id;
  CachetStore *store;

  g_return_val_if_fail (CACHET_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (CACHET_IS_ACCOUNT (account), NULL);

  id = cachet_account_get_id (account);
  store = g_hash_table_lookup (self->stores, id);
  if (store == NULL)
    {
      store = cachet_store_new (NULL, id, NULL, error);
      if (store == NULL)
        return NULL;
      g_hash_table_insert (self->stores, g_strdup (id), store);
    }

  return store;
}

/**
 * cachet_application_get_sender:
 *
 * Returns: (transfer none): what sends the accounts' outboxes
 */
CachetSenderService *
cachet_application_get_sender (CachetApplication *self)
{
  g_return_val_if_fail (CACHET_IS_APPLICATION (self), NULL);

  return self->sender;
}

/**
 * cachet_application_get_certificate_store:
 *
 * Returns: (transfer none): the user's S/MIME certificates: trust anchors,
 *   and correspondents' certificates collected from signed mail
 */
CachetCertificateStore *
cachet_application_get_certificate_store (CachetApplication *self)
{
  g_return_val_if_fail (CACHET_IS_APPLICATION (self), NULL);

  return self->certificates;
}

/**
 * cachet_application_queue_message:
 * @account: the account sending the message
 * @message: the message, exactly as it will be sent
 * @recipients: the envelope recipients
 * @error: return location for a #GError
 *
 * Keeps the message durably in the account's outbox, then sends it in the
 * background. Failures are told through #CachetSenderService::send-failed.
 *
 * Returns: whether the message is safely queued
 */
gboolean
cachet_application_queue_message (CachetApplication   *self,
                                  CachetAccount       *account,
                                  GBytes              *message,
                                  const char * const  *recipients,
                                  GError             **error)
{
  g_return_val_if_fail (CACHET_IS_APPLICATION (self), FALSE);

  return cachet_sender_service_queue (self->sender, account, message, recipients, error);
}

static void
account_data_deleted_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autofree char *account_id = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_account_data_delete_finish (result, &error))
    g_warning ("%s", error->message);
  else
    g_debug ("Deleted the local mail of the removed account %s", account_id);
}

/* A removed account's local mail goes once nothing holds its files: windows
 * may keep its store, and a cancelled flush its outbox, for a moment after
 * the account is removed. A holder lets go when it is finalized (its files
 * closed), possibly in a worker thread: the deletion then starts from the
 * main context. */
typedef struct
{
  char *account_id;
  int   holders;
} AccountRemoval;

static gboolean
delete_account_data (gpointer user_data)
{
  AccountRemoval *removal = user_data;
  char *account_id = g_steal_pointer (&removal->account_id);

  g_free (removal);
  cachet_account_data_delete_async (account_id, NULL, account_data_deleted_cb, account_id);
  return G_SOURCE_REMOVE;
}

static void
holder_released_cb (gpointer user_data)
{
  AccountRemoval *removal = user_data;

  if (g_atomic_int_dec_and_test (&removal->holders))
    g_main_context_invoke (NULL, delete_account_data, removal);
}

static void
wait_for_release (AccountRemoval *removal,
                  gpointer        holder)
{
  if (holder == NULL)
    return;
  g_atomic_int_inc (&removal->holders);
  /* Object data goes after the object's own finalize, which closes its
   * files; a weak reference would be told before. */
  g_object_set_data_full (holder, "cachet-account-removal", removal, holder_released_cb);
}

static void
forget_account (CachetApplication *self,
                const char        *id)
{
  AccountRemoval *removal = g_new0 (AccountRemoval, 1);

  removal->account_id = g_strdup (id);
  /* Counts itself until every holder is known, so that a holder released
   * right away does not start the deletion early. */
  removal->holders = 1;
  wait_for_release (removal, g_hash_table_lookup (self->stores, id));
  if (self->sender != NULL)
    wait_for_release (removal, cachet_sender_service_get_outbox (self->sender, id));
  g_hash_table_remove (self->stores, id);
  holder_released_cb (removal);
}

static void
accounts_changed_cb (CachetApplication *self)
{
  GListModel *accounts = G_LIST_MODEL (self->accounts);
  g_autoptr(GHashTable) removed_ids = g_steal_pointer (&self->account_ids);
  GHashTableIter iter;
  const char *id;

  self->account_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CachetAccount) account = g_list_model_get_item (accounts, i);

      id = cachet_account_get_id (account);
      g_hash_table_remove (removed_ids, id);
      g_hash_table_add (self->account_ids, g_strdup (id));
    }

  g_hash_table_iter_init (&iter, removed_ids);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    forget_account (self, id);
}

static void
attachment_cache_cleaned_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cachet_attachment_cache_clean_finish (result, &error))
    g_warning ("Cannot delete old copies of opened attachments: %s", error->message);
}

static gboolean
color_scheme_from_setting (GValue   *value,
                           GVariant *variant,
                           gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  if (g_str_equal (scheme, "light"))
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_str_equal (scheme, "dark"))
    g_value_set_enum (value, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    g_value_set_enum (value, ADW_COLOR_SCHEME_DEFAULT);

  return TRUE;
}

static void
cachet_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (cachet_window_new (CACHET_APPLICATION (application)));

  gtk_window_present (window);
}

static void
cachet_application_startup (GApplication *application)
{
  CachetApplication *self = CACHET_APPLICATION (application);
  g_autoptr(GAction) color_scheme_action = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat (_("Cachet"), APPLICATION_NAME_SUFFIX, NULL);

  G_APPLICATION_CLASS (cachet_application_parent_class)->startup (application);
  cachet_mime_init ();

  g_set_application_name (name);
  gtk_window_set_default_icon_name (APPLICATION_ID);

  self->settings = g_settings_new (APPLICATION_ID);

  /* The style follows the system unless the user forces one in Preferences. */
  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                adw_style_manager_get_default (), "color-scheme",
                                G_SETTINGS_BIND_GET,
                                color_scheme_from_setting, NULL, NULL, NULL);
  color_scheme_action = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (self), color_scheme_action);

  self->credentials = cachet_secret_credentials_new ();
  self->accounts = cachet_account_list_new_default ();
  /* On failure the list refuses changes, so a damaged file is never
   * overwritten; adding an account then tells the user what is wrong. */
  if (!cachet_account_list_load (self->accounts, &error))
    g_warning ("%s", error->message);
  self->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->account_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  accounts_changed_cb (self);
  /* Connected before the sender service follows the list too, so that a
   * removed account's outbox is still there to wait for. */
  g_signal_connect_object (self->accounts, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  /* Messages left in the outboxes by the last run go now. */
  self->sender = cachet_sender_service_new (self->accounts, CACHET_CREDENTIALS_PROVIDER (self->credentials));
  self->certificates = cachet_certificate_store_new (NULL);
  cachet_attachment_cache_clean_async (CACHET_ATTACHMENT_CACHE_MAX_AGE, NULL, attachment_cache_cleaned_cb, NULL);
}

static void
cachet_application_dispose (GObject *object)
{
  CachetApplication *self = CACHET_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->sender);
  g_clear_object (&self->certificates);
  g_clear_pointer (&self->stores, g_hash_table_unref);
  g_clear_pointer (&self->account_ids, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (cachet_application_parent_class)->dispose (object);
}

static void
cachet_application_class_init (CachetApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cachet_application_dispose;
  app_class->activate = cachet_application_activate;
  app_class->startup = cachet_application_startup;
}

static void
cachet_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  static const char *developers[] = { "The Cachet developers", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", g_get_application_name (),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Cachet developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Secure health mail for clinics: MSSanté, end-to-end S/MIME, "
                                       "the national directory offline and lab results filed per patient."),
                         "website", "https://gitlab.com/cachet-mail/cachet",
                         "issue-url", "https://gitlab.com/cachet-mail/cachet/-/issues",
                         "developers", developers,
                         /* Translators: put your names here, one per line. */
                         "translator-credits", _("translator-credits"),
                         "copyright", "© 2026 The Cachet developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
cachet_application_preferences_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  CachetApplication *self = CACHET_APPLICATION (user_data);
  CachetPreferencesWindow *preferences =
    cachet_preferences_window_new (self->accounts, CACHET_CREDENTIALS_PROVIDER (self->credentials));

  cachet_preferences_window_add_certificates (preferences, self->certificates);
  gtk_window_set_transient_for (GTK_WINDOW (preferences),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
cachet_application_add_account_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  CachetApplication *self = CACHET_APPLICATION (user_data);
  CachetAddAccountDialog *dialog =
    cachet_add_account_dialog_new (self->accounts, CACHET_CREDENTIALS_PROVIDER (self->credentials));

  gtk_window_set_transient_for (GTK_WINDOW (dialog),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cachet_application_show_outbox_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  CachetApplication *self = CACHET_APPLICATION (user_data);
  GtkWindow *outbox = NULL;

  /* One outbox window: it shows every account. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL && outbox == NULL; l = l->next)
    {
      if (CACHET_IS_OUTBOX_WINDOW (l->data))
        outbox = l->data;
    }
  if (outbox == NULL)
    {
      outbox = GTK_WINDOW (cachet_outbox_window_new (self->sender));
      gtk_window_set_transient_for (outbox, gtk_application_get_active_window (GTK_APPLICATION (self)));
      gtk_window_set_destroy_with_parent (outbox, TRUE);
      gtk_window_set_application (outbox, GTK_APPLICATION (self));
    }
  gtk_window_present (outbox);
}

/* @task_data: the archive and practice-software inbox folders chosen in
 * Preferences, empty for the defaults; read on the main thread, as GSettings
 * wants. */
static void
lab_filer_open_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  char **folders = task_data;
  g_autofree char *journal = cachet_lab_filer_dup_default_journal ();
  g_autofree char *archive = *folders[0] != '\0' ? g_strdup (folders[0]) : cachet_lab_filer_dup_default_archive ();
  GError *error = NULL;
  CachetLabFiler *filer = cachet_lab_filer_new (journal, archive, *folders[1] != '\0' ? folders[1] : NULL,
                                                &error);

  if (filer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, filer, g_object_unref);
}

static void
lab_filer_opened_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GtkApplication *app = GTK_APPLICATION (source);
  g_autoptr(CachetLabFiler) filer = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *parent = gtk_application_get_active_window (app);
  GtkWindow *results;

  filer = g_task_propagate_pointer (G_TASK (result), &error);
  if (filer == NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (parent, _("Cannot Open Lab Results"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      /* Confirming a patient files: the layout chosen in Preferences applies,
       * even when changed while the window is open. */
      cachet_lab_settings_follow_layout (CACHET_APPLICATION (app)->settings, filer);
      results = GTK_WINDOW (cachet_results_window_new (filer));
      gtk_window_set_transient_for (results, parent);
      gtk_window_set_destroy_with_parent (results, TRUE);
      gtk_window_set_application (results, app);
      gtk_window_present (results);
    }
  g_application_release (G_APPLICATION (app));
}

static void
cachet_application_show_results_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  CachetApplication *self = CACHET_APPLICATION (user_data);
  g_autoptr(GTask) task = NULL;
  char **folders;

  /* One results window: it shows the whole journal. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (CACHET_IS_RESULTS_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return;
        }
    }
  /* Opening the journal may create it and sync the disk: not on the main
   * thread. The application stays up until the window is there. */
  g_application_hold (G_APPLICATION (self));
  task = g_task_new (self, NULL, lab_filer_opened_cb, NULL);
  g_task_set_source_tag (task, cachet_application_show_results_action);
  folders = g_new0 (char *, 3);
  folders[0] = g_settings_get_string (self->settings, "lab-archive-folder");
  folders[1] = g_settings_get_string (self->settings, "lab-inbox-folder");
  g_task_set_task_data (task, folders, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, lab_filer_open_thread);
}

/* Opened from the menu, the directory is for looking addresses up and
 * copying them: it adds to no message. */
static void
cachet_application_show_directory_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  GtkApplication *self = GTK_APPLICATION (user_data);
  /* Asked before the dialog joins the application, which makes it the
   * active window. */
  GtkWindow *parent = gtk_application_get_active_window (self);
  CachetDirectoryDialog *dialog = cachet_directory_dialog_new (self, NULL);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cachet_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autolist(GtkWindow) windows =
    g_list_copy_deep (gtk_application_get_windows (app), (GCopyFunc) g_object_ref, NULL);

  /* Closing each window (rather than g_application_quit()) lets every window
   * save its state and cancel its work on the way out. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "about", cachet_application_about_action },
  { "add-account", cachet_application_add_account_action },
  { "preferences", cachet_application_preferences_action },
  { "quit", cachet_application_quit_action },
  { "show-directory", cachet_application_show_directory_action },
  { "show-outbox", cachet_application_show_outbox_action },
  { "show-results", cachet_application_show_results_action },
};

static void
cachet_application_init (CachetApplication *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
}
