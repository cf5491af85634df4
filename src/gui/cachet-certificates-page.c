/* cachet-certificates-page.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-certificates-page.h"
#include "cachet-smime-identity.h"

/* The certificate manager in Preferences: each account's own identity and
 * its Sign and Encrypt defaults, the correspondents' certificates and the
 * trust anchors. The store reads and writes files, so every change runs in
 * a worker, which lists the store again for the page to show. */

/* A certificate that expires sooner than this is flagged, to leave time to
 * get the new one. */
#define EXPIRY_WARNING_DAYS 30

struct _CachetCertificatesPage
{
  AdwPreferencesPage         parent_instance;

  CachetAccountList         *accounts;
  CachetCertificateStore    *store;
  CachetCredentialsProvider *credentials;
  /* Cancelled when the page goes: nothing it started outlives it. */
  GCancellable              *cancellable;
  /* CachetCertificate items, as the lists show them. */
  GListStore                *correspondents;
  GListStore                *anchors;

  /* Template widgets */
  GtkListBox                *identity_list;
  GtkListBox                *correspondent_list;
  GtkListBox                *anchor_list;
};

G_DEFINE_FINAL_TYPE (CachetCertificatesPage, cachet_certificates_page, ADW_TYPE_PREFERENCES_PAGE)

static void
show_toast (GtkWidget  *widget,
            const char *text)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  /* Toast titles are markup; messages may quote file names. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (escaped));
  else
    g_warning ("%s", text);
}

typedef enum
{
  STORE_LIST,
  STORE_IMPORT,
  STORE_TRUST,
  STORE_REMOVE_ANCHOR,
  STORE_REMOVE_CERTIFICATE,
} StoreOperation;

typedef struct
{
  StoreOperation  operation;
  /* A file path, or the fingerprint of the certificate to remove. */
  char           *argument;
  GPtrArray      *correspondents;
  GPtrArray      *anchors;
} StoreWork;

static void
store_work_free (StoreWork *work)
{
  g_free (work->argument);
  g_clear_pointer (&work->correspondents, g_ptr_array_unref);
  g_clear_pointer (&work->anchors, g_ptr_array_unref);
  g_free (work);
}

static gboolean
apply_operation (CachetCertificateStore  *store,
                 StoreWork               *work,
                 GError                 **error)
{
  g_autoptr(GPtrArray) added = NULL;

  switch (work->operation)
    {
    case STORE_LIST:
      return TRUE;
    case STORE_IMPORT:
      added = cachet_certificate_store_import_file (store, work->argument, error);
      return added != NULL;
    case STORE_TRUST:
      added = cachet_certificate_store_trust_file (store, work->argument, error);
      return added != NULL;
    case STORE_REMOVE_ANCHOR:
      return cachet_certificate_store_remove_anchor (store, work->argument, error);
    case STORE_REMOVE_CERTIFICATE:
      return cachet_certificate_store_remove_certificate (store, work->argument, error);
    default:
      g_assert_not_reached ();
    }
}

/* Changes the store, then lists it as it is now, even after a failed
 * change, so that the page never shows a stale list. */
static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StoreWork *work = task_data;
  g_autoptr(GError) operation_error = NULL;
  GError *error = NULL;

  apply_operation (source_object, work, &operation_error);
  work->correspondents = cachet_certificate_store_list_correspondents (source_object, &error);
  if (work->correspondents != NULL)
    work->anchors = cachet_certificate_store_list_anchors (source_object, &error);
  if (error == NULL && operation_error != NULL)
    error = g_steal_pointer (&operation_error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
replace_items (GListStore *list,
               GPtrArray  *certificates)
{
  if (certificates != NULL)
    g_list_store_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                         certificates->pdata, certificates->len);
}

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CachetCertificatesPage) self = user_data;
  StoreWork *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  replace_items (self->correspondents, work->correspondents);
  replace_items (self->anchors, work->anchors);
  if (error != NULL)
    {
      /* Translators: %s says what went wrong and what to do. */
      g_autofree char *text = g_strdup_printf (_("The certificates could not be changed: %s"), error->message);

      show_toast (GTK_WIDGET (self), text);
    }
}

static void
run_store_operation (CachetCertificatesPage *self,
                     StoreOperation          operation,
                     const char             *argument)
{
  g_autoptr(GTask) task = NULL;
  StoreWork *work = g_new0 (StoreWork, 1);

  work->operation = operation;
  work->argument = g_strdup (argument);
  task = g_task_new (self->store, self->cancellable, store_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, run_store_operation);
  g_task_set_task_data (task, work, (GDestroyNotify) store_work_free);
  g_task_run_in_thread (task, store_thread);
}

static void
run_on_file (CachetCertificatesPage *self,
             StoreOperation          operation,
             GFile                  *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      show_toast (GTK_WIDGET (self),
                  _("Only certificates saved on this computer can be used. Copy the file to a local folder "
                    "first."));
      return;
    }
  run_store_operation (self, operation, path);
}

/**
 * cachet_certificates_page_import_file:
 * @file: a correspondent's certificate (PEM or DER)
 *
 * Keeps @file's certificates with the correspondents', in the background.
 */
void
cachet_certificates_page_import_file (CachetCertificatesPage *self,
                                      GFile                  *file)
{
  g_return_if_fail (CACHET_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  run_on_file (self, STORE_IMPORT, file);
}

/**
 * cachet_certificates_page_add_anchor_file:
 * @file: a certification authority's certificate (PEM or DER)
 *
 * Trusts @file's certificates as anchors, in the background.
 */
void
cachet_certificates_page_add_anchor_file (CachetCertificatesPage *self,
                                          GFile                  *file)
{
  g_return_if_fail (CACHET_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  run_on_file (self, STORE_TRUST, file);
}

/* @target: what the chooser was opened for, or %NULL */
typedef void (*FileChosenFunc) (CachetCertificatesPage *self,
                                GFile                  *file,
                                gpointer                target);

static void
chooser_response_cb (GtkFileChooserNative *chooser,
                     int                   response,
                     gpointer              user_data)
{
  CachetCertificatesPage *self = user_data;
  FileChosenFunc chosen = g_object_get_data (G_OBJECT (chooser), "chosen");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      chosen (self, file, g_object_get_data (G_OBJECT (chooser), "target"));
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_object_unref (chooser);
}

/* Asks for one file to open, or, given a @save_name, to save, then gives
 * it to @chosen. */
static void
choose_file (CachetCertificatesPage *self,
             const char             *title,
             const char             *save_name,
             const char             *filter_name,
             const char * const     *suffixes,
             FileChosenFunc          chosen,
             GObject                *target)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 save_name != NULL ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                 save_name != NULL ? _("_Save") : _("_Open"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (save_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), save_name);

  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "chosen", chosen);
  if (target != NULL)
    g_object_set_data_full (G_OBJECT (chooser), "target", g_object_ref (target), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static const char * const certificate_suffixes[] = { "pem", "crt", "cer", "der", NULL };

static void
import_chosen (CachetCertificatesPage *self,
               GFile                  *file,
               gpointer                target)
{
  cachet_certificates_page_import_file (self, file);
}

static void
anchor_chosen (CachetCertificatesPage *self,
               GFile                  *file,
               gpointer                target)
{
  cachet_certificates_page_add_anchor_file (self, file);
}

static void
import_clicked_cb (CachetCertificatesPage *self)
{
  choose_file (self, _("Import a Correspondent’s Certificate"), NULL, _("Certificates"), certificate_suffixes,
               import_chosen, NULL);
}

static void
add_anchor_clicked_cb (CachetCertificatesPage *self)
{
  choose_file (self, _("Add a Trust Anchor"), NULL, _("Certificates"), certificate_suffixes, anchor_chosen, NULL);
}

/* What a certificate is called in a list: its addresses, or its subject for
 * an authority. */
static char *
certificate_title (CachetCertificate *certificate)
{
  const char * const *addresses = cachet_certificate_get_email_addresses (certificate);

  if (addresses != NULL && addresses[0] != NULL)
    return g_strjoinv (", ", (char **) addresses);
  return g_strdup (cachet_certificate_get_subject (certificate));
}

static GtkWidget *
create_certificate_row (CachetCertificate *certificate)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, EXPIRY_WARNING_DAYS);
  GDateTime *not_after = cachet_certificate_get_not_after (certificate);
  g_autofree char *title = certificate_title (certificate);
  g_autofree char *date = g_date_time_format (not_after, "%x");
  g_autofree char *subtitle = NULL;
  gboolean expired = cachet_certificate_is_expired (certificate, now);

  /* Translators: %s is a date. */
  subtitle = g_strdup_printf (expired ? _("Expired on %s") : _("Expires on %s"), date);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (expired || g_date_time_compare (not_after, soon) < 0)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      const char *warning = expired ? _("This certificate has expired: ask for the new one.")
                                    : _("This certificate expires soon: ask for the new one.");

      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_set_tooltip_text (icon, warning);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, warning, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  return row;
}

/* A row of @certificate with a button labelled @label calling @clicked
 * with @certificate. */
static GtkWidget *
create_removable_row (CachetCertificate *certificate,
                      const char        *label,
                      GCallback          clicked)
{
  GtkWidget *row = create_certificate_row (certificate);
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect_object (remove, "clicked", clicked, certificate, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  return row;
}

static void
remove_certificate_response_cb (AdwMessageDialog       *dialog,
                                const char             *response,
                                CachetCertificatesPage *self)
{
  CachetCertificate *certificate = g_object_get_data (G_OBJECT (dialog), "certificate");

  if (g_str_equal (response, "remove"))
    run_store_operation (self, STORE_REMOVE_CERTIFICATE, cachet_certificate_get_fingerprint (certificate));
}

/* Asks first: a certificate imported from a file the user no longer has
 * cannot be brought back from here. */
static void
remove_certificate_clicked_cb (GtkButton *button,
                               gpointer   user_data)
{
  CachetCertificate *certificate = user_data;
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (button), CACHET_TYPE_CERTIFICATES_PAGE);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  g_autofree char *title = certificate_title (certificate);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Remove the Certificate?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Messages to %s can no longer be encrypted until the certificate is kept "
                                    "again: when you open a validly signed message from them, or import the "
                                    "certificate. Their signed messages are still checked, as each carries "
                                    "its certificate."),
                                  title);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "certificate", g_object_ref (certificate), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_certificate_response_cb), page, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_correspondent_row (gpointer item,
                          gpointer user_data)
{
  g_autofree char *title = certificate_title (item);
  g_autofree char *label = g_strdup_printf (_("Remove “%s”"), title);

  return create_removable_row (item, label, G_CALLBACK (remove_certificate_clicked_cb));
}

static void
remove_anchor_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  CachetCertificate *certificate = user_data;
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (button), CACHET_TYPE_CERTIFICATES_PAGE);

  run_store_operation (CACHET_CERTIFICATES_PAGE (page), STORE_REMOVE_ANCHOR,
                       cachet_certificate_get_fingerprint (certificate));
}

static GtkWidget *
create_anchor_row (gpointer item,
                   gpointer user_data)
{
  g_autofree char *title = certificate_title (item);
  g_autofree char *label = g_strdup_printf (_("Stop Trusting “%s”"), title);

  return create_removable_row (item, label, G_CALLBACK (remove_anchor_clicked_cb));
}

/* Any change to an account's S/MIME settings goes to the accounts file at
 * once, as the other preferences do. */
static void
account_changed_cb (GtkWidget *row)
{
  GtkWidget *page = gtk_widget_get_ancestor (row, CACHET_TYPE_CERTIFICATES_PAGE);
  g_autoptr(GError) error = NULL;

  if (page != NULL && !cachet_account_list_save_changes (CACHET_CERTIFICATES_PAGE (page)->accounts, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The change could not be saved: %s"), error->message);

      show_toast (page, text);
    }
}

static void
identity_applied_cb (AdwEntryRow   *entry,
                     CachetAccount *account)
{
  g_autofree char *identity = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  cachet_account_set_smime_identity (account, identity);
}

static void
identity_chosen (CachetCertificatesPage *self,
                 GFile                  *file,
                 gpointer                entry)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      show_toast (GTK_WIDGET (self),
                  _("Only a certificate file saved on this computer can be used. Copy it to a local folder "
                    "first."));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), path);
  g_signal_emit_by_name (entry, "apply");
}

static void
choose_identity_clicked_cb (GtkButton *button,
                            gpointer   entry)
{
  static const char * const suffixes[] = { "p12", "pfx", NULL };
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (button), CACHET_TYPE_CERTIFICATES_PAGE);

  choose_file (CACHET_CERTIFICATES_PAGE (page), _("Choose Your Certificate"), NULL, _("PKCS #12 Files"), suffixes,
               identity_chosen, entry);
}

static void
passphrase_stored_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CachetCertificatesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("The passphrase could not be kept in the keyring: %s"),
                                               error->message);

      show_toast (GTK_WIDGET (self), text);
    }
}

/* The passphrase goes to the keyring, never to the accounts file. */
static void
passphrase_applied_cb (AdwPasswordEntryRow *entry,
                       CachetAccount       *account)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (entry), CACHET_TYPE_CERTIFICATES_PAGE);
  CachetCertificatesPage *self = CACHET_CERTIFICATES_PAGE (page);

  cachet_credentials_provider_store_async (self->credentials, cachet_account_get_id (account),
                                           CACHET_SECRET_CERTIFICATE_PASSPHRASE,
                                           gtk_editable_get_text (GTK_EDITABLE (entry)), self->cancellable,
                                           passphrase_stored_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
certificate_written_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
identity_for_export_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(GBytes) contents = NULL;
  GError *error = NULL;
  char *pem;

  identity = cachet_smime_identity_load_finish (result, &error);
  if (identity == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* The certificate only: the private key never leaves its file or card. */
  pem = cachet_certificate_to_pem (cachet_smime_identity_get_certificate (identity));
  contents = g_bytes_new_take (pem, strlen (pem));
  g_file_replace_contents_bytes_async (g_task_get_task_data (task), contents, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, g_task_get_cancellable (task),
                                       certificate_written_cb, g_object_ref (task));
}

/**
 * cachet_certificates_page_export_certificate_async:
 * @account: an account with an identity
 * @file: where to save its certificate (PEM)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the file is written
 * @user_data: data for @callback
 *
 * Saves the certificate of @account's identity, without its key, for
 * correspondents to encrypt with.
 */
void
cachet_certificates_page_export_certificate_async (CachetCertificatesPage *self,
                                                   CachetAccount          *account,
                                                   GFile                  *file,
                                                   GCancellable           *cancellable,
                                                   GAsyncReadyCallback     callback,
                                                   gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_CERTIFICATES_PAGE (self));
  g_return_if_fail (CACHET_IS_ACCOUNT (account));
  g_return_if_fail (cachet_account_get_smime_identity (account) != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_certificates_page_export_certificate_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  /* Opening a PKCS #12 file takes its passphrase, from the keyring. */
  cachet_smime_identity_load_async (cachet_account_get_smime_identity (account), self->credentials,
                                    cachet_account_get_id (account), cancellable, identity_for_export_cb,
                                    g_steal_pointer (&task));
}

gboolean
cachet_certificates_page_export_certificate_finish (CachetCertificatesPage  *self,
                                                    GAsyncResult            *result,
                                                    GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
certificate_exported_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  CachetCertificatesPage *self = CACHET_CERTIFICATES_PAGE (source);
  GFile *file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (cachet_certificates_page_export_certificate_finish (self, result, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      text = g_strdup_printf (_("Your certificate was saved in “%s”. Send it to those who will write to you "
                                "encrypted."), name);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    text = g_strdup_printf (_("Your certificate could not be exported: %s"), error->message);
  if (text != NULL)
    show_toast (GTK_WIDGET (self), text);
  g_object_unref (file);
}

static void
export_chosen (CachetCertificatesPage *self,
               GFile                  *file,
               gpointer                account)
{
  cachet_certificates_page_export_certificate_async (self, account, file, self->cancellable,
                                                     certificate_exported_cb, g_object_ref (file));
}

static void
export_clicked_cb (GtkButton *button,
                   gpointer   account)
{
  static const char * const suffixes[] = { "pem", NULL };
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (button), CACHET_TYPE_CERTIFICATES_PAGE);
  g_autofree char *name = g_strdup_printf ("%s.pem", cachet_account_get_address (account));

  choose_file (CACHET_CERTIFICATES_PAGE (page), _("Export Your Certificate"), name, _("PEM Certificates"), suffixes,
               export_chosen, account);
}

static gboolean
is_set_transform (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_string (from) != NULL);
  return TRUE;
}

static GtkWidget *
create_export_row (CachetAccount *account)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Export…"));
  g_autofree char *label = g_strdup_printf (_("Export the Certificate of “%s”"), cachet_account_get_name (account));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Export Your Certificate"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("For correspondents to encrypt the messages they send you"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (export_clicked_cb), account, 0);
  /* Only an account with an identity has a certificate to give. */
  g_object_bind_property_full (account, "smime-identity", row, "sensitive", G_BINDING_SYNC_CREATE,
                               is_set_transform, NULL, NULL, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
create_switch_row (CachetAccount *account,
                   const char    *property,
                   const char    *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  g_autofree char *label = g_strdup_printf ("%s — %s", title, cachet_account_get_name (account));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_bind_property (account, property, toggle, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

static GtkWidget *
create_identity_row (gpointer item,
                     gpointer user_data)
{
  CachetAccount *account = item;
  const char *identity = cachet_account_get_smime_identity (account);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *entry = adw_entry_row_new ();
  GtkWidget *choose = gtk_button_new_from_icon_name ("document-open-symbolic");
  GtkWidget *passphrase = adw_password_entry_row_new ();
  g_autofree char *choose_label = g_strdup_printf (_("Choose the Certificate File of “%s”"),
                                                   cachet_account_get_name (account));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cachet_account_get_name (account));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), cachet_account_get_address (account));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Certificate File or PKCS #11 URI"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (entry), identity != NULL ? identity : "");
  g_signal_connect_object (entry, "apply", G_CALLBACK (identity_applied_cb), account, 0);
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (choose, "flat");
  gtk_widget_set_tooltip_text (choose, choose_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose), GTK_ACCESSIBLE_PROPERTY_LABEL, choose_label, -1);
  g_signal_connect_object (choose, "clicked", G_CALLBACK (choose_identity_clicked_cb), entry, 0);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (entry), choose);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), entry);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (passphrase), _("Passphrase of the Certificate File"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (passphrase), TRUE);
  g_signal_connect_object (passphrase, "apply", G_CALLBACK (passphrase_applied_cb), account, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), passphrase);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), create_switch_row (account, "smime-sign",
                                                                       _("Sign New Messages")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), create_switch_row (account, "smime-encrypt",
                                                                       _("Encrypt New Messages")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), create_export_row (account));

  g_signal_connect_object (account, "notify::smime-identity", G_CALLBACK (account_changed_cb), row,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::smime-sign", G_CALLBACK (account_changed_cb), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::smime-encrypt", G_CALLBACK (account_changed_cb), row,
                           G_CONNECT_SWAPPED);
  return row;
}

/**
 * cachet_certificates_page_new:
 * @accounts: the accounts, whose identities the page sets
 * @store: the user's certificates
 * @credentials: where the passphrases of certificate files are kept
 *
 * Returns: (transfer floating): the page, listing the store in the background
 */
CachetCertificatesPage *
cachet_certificates_page_new (CachetAccountList         *accounts,
                              CachetCertificateStore    *store,
                              CachetCredentialsProvider *credentials)
{
  CachetCertificatesPage *self;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (CACHET_IS_CERTIFICATE_STORE (store), NULL);
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (CACHET_TYPE_CERTIFICATES_PAGE, NULL);
  self->accounts = g_object_ref (accounts);
  self->store = g_object_ref (store);
  self->credentials = g_object_ref (credentials);
  gtk_list_box_bind_model (self->identity_list, G_LIST_MODEL (accounts), create_identity_row, NULL, NULL);
  run_store_operation (self, STORE_LIST, NULL);

  return self;
}

static void
cachet_certificates_page_dispose (GObject *object)
{
  CachetCertificatesPage *self = CACHET_CERTIFICATES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_CERTIFICATES_PAGE);
  g_clear_object (&self->correspondents);
  g_clear_object (&self->anchors);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (cachet_certificates_page_parent_class)->dispose (object);
}

static void
cachet_certificates_page_finalize (GObject *object)
{
  CachetCertificatesPage *self = CACHET_CERTIFICATES_PAGE (object);

  g_object_unref (self->cancellable);

  G_OBJECT_CLASS (cachet_certificates_page_parent_class)->finalize (object);
}

static void
cachet_certificates_page_class_init (CachetCertificatesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_certificates_page_dispose;
  object_class->finalize = cachet_certificates_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-certificates-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetCertificatesPage, identity_list);
  gtk_widget_class_bind_template_child (widget_class, CachetCertificatesPage, correspondent_list);
  gtk_widget_class_bind_template_child (widget_class, CachetCertificatesPage, anchor_list);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_anchor_clicked_cb);
}

static void
cachet_certificates_page_init (CachetCertificatesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->correspondents = g_list_store_new (CACHET_TYPE_CERTIFICATE);
  self->anchors = g_list_store_new (CACHET_TYPE_CERTIFICATE);
  gtk_list_box_bind_model (self->correspondent_list, G_LIST_MODEL (self->correspondents),
                           create_correspondent_row, NULL, NULL);
  gtk_list_box_bind_model (self->anchor_list, G_LIST_MODEL (self->anchors), create_anchor_row, NULL, NULL);
}
