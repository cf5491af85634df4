/* cachet-add-account-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cachet-account-check.h"
#include "cachet-add-account-dialog.h"

typedef enum
{
  SECURITY_TLS,
  SECURITY_STARTTLS,
} Security;

struct _CachetAddAccountDialog
{
  AdwWindow                  parent_instance;

  CachetAccountList         *accounts;
  CachetCredentialsProvider *credentials;
  /* Cancelled when the dialog closes, so nothing outlives it. */
  GCancellable              *cancellable;
  /* The account being added while its password is stored and its servers
   * are checked. */
  CachetAccount             *pending;
  gboolean                   password_stored;

  /* Template widgets */
  GtkSpinner                *checking_spinner;
  GtkRevealer               *error_revealer;
  GtkLabel                  *error_label;
  AdwEntryRow               *name_row;
  AdwEntryRow               *address_row;
  AdwPasswordEntryRow       *password_row;
  AdwEntryRow               *imap_host_row;
  AdwComboRow               *imap_security_row;
  GtkSpinButton             *imap_port;
  AdwEntryRow               *smtp_host_row;
  AdwComboRow               *smtp_security_row;
  GtkSpinButton             *smtp_port;
  AdwEntryRow               *login_row;
  AdwEntryRow               *client_cert_row;
  AdwEntryRow               *ca_file_row;
};

G_DEFINE_FINAL_TYPE (CachetAddAccountDialog, cachet_add_account_dialog, ADW_TYPE_WINDOW)

/* Standard ports (RFC 8314 for implicit TLS, RFC 6409 for submission). */
static const int imap_ports[] = { [SECURITY_TLS] = 993, [SECURITY_STARTTLS] = 143 };
static const int smtp_ports[] = { [SECURITY_TLS] = 465, [SECURITY_STARTTLS] = 587 };

CachetAddAccountDialog *
cachet_add_account_dialog_new (CachetAccountList         *accounts,
                               CachetCredentialsProvider *credentials)
{
  CachetAddAccountDialog *self;

  g_return_val_if_fail (CACHET_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (CACHET_IS_CREDENTIALS_PROVIDER (credentials), NULL);

  self = g_object_new (CACHET_TYPE_ADD_ACCOUNT_DIALOG, NULL);
  self->accounts = g_object_ref (accounts);
  self->credentials = g_object_ref (credentials);

  return self;
}

static char *
entry_text (gpointer editable)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable)));

  g_strstrip (text);
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

static void
show_error (CachetAddAccountDialog *self,
            const char             *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void
form_changed_cb (CachetAddAccountDialog *self)
{
  g_autofree char *name = entry_text (self->name_row);
  g_autofree char *address = entry_text (self->address_row);
  g_autofree char *imap_host = entry_text (self->imap_host_row);
  g_autofree char *smtp_host = entry_text (self->smtp_host_row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.add",
                                 self->pending == NULL &&
                                 name != NULL && address != NULL &&
                                 imap_host != NULL && smtp_host != NULL);
}

static void
follow_default_port (AdwComboRow   *security_row,
                     GtkSpinButton *port,
                     const int      ports[2])
{
  Security security = adw_combo_row_get_selected (security_row);
  int current = gtk_spin_button_get_value_as_int (port);

  /* A port the user typed stays; only the other mode's default follows. */
  if (current == ports[SECURITY_TLS] || current == ports[SECURITY_STARTTLS])
    gtk_spin_button_set_value (port, ports[security]);
}

static void
imap_security_changed_cb (CachetAddAccountDialog *self)
{
  follow_default_port (self->imap_security_row, self->imap_port, imap_ports);
}

static void
smtp_security_changed_cb (CachetAddAccountDialog *self)
{
  follow_default_port (self->smtp_security_row, self->smtp_port, smtp_ports);
}

static char *
server_url (const char    *tls_scheme,
            const char    *starttls_scheme,
            AdwEntryRow   *host_row,
            AdwComboRow   *security_row,
            GtkSpinButton *port)
{
  g_autofree char *host = entry_text (host_row);
  Security security = adw_combo_row_get_selected (security_row);
  /* An IPv6 address needs brackets in a URL. */
  gboolean ipv6 = host != NULL && strchr (host, ':') != NULL;

  return g_strdup_printf ("%s://%s%s%s:%d",
                          security == SECURITY_TLS ? tls_scheme : starttls_scheme,
                          ipv6 ? "[" : "", host != NULL ? host : "", ipv6 ? "]" : "",
                          gtk_spin_button_get_value_as_int (port));
}

static void
set_checking (CachetAddAccountDialog *self,
              gboolean                checking)
{
  gtk_widget_set_visible (GTK_WIDGET (self->checking_spinner), checking);
  gtk_spinner_set_spinning (self->checking_spinner, checking);
}

/* The account stays out, and so does its password. */
static void
abandon (CachetAddAccountDialog *self,
         const char             *message)
{
  g_autoptr(CachetAccount) account = g_steal_pointer (&self->pending);

  if (self->password_stored)
    cachet_credentials_provider_clear_async (self->credentials, cachet_account_get_id (account),
                                             NULL, NULL, NULL);
  self->password_stored = FALSE;
  set_checking (self, FALSE);
  show_error (self, message);
  form_changed_cb (self);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CachetAddAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CachetAccount) account = NULL;

  if (!cachet_account_check_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        abandon (self, error->message);
      return;
    }

  account = g_steal_pointer (&self->pending);
  set_checking (self, FALSE);
  if (!cachet_account_list_add (self->accounts, account, &error))
    {
      self->pending = g_steal_pointer (&account);
      abandon (self, error->message);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
check_servers (CachetAddAccountDialog *self)
{
  cachet_account_check_async (self->pending, self->credentials, self->cancellable,
                              checked_cb, g_object_ref (self));
}

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CachetAddAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            g_strdup_printf (_("The password could not be kept in the keyring (%s). "
                               "Check that a keyring is available and unlocked, then try again."),
                             error->message);

          abandon (self, message);
        }
      return;
    }

  self->password_stored = TRUE;
  check_servers (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CachetAddAccountDialog *self = CACHET_ADD_ACCOUNT_DIALOG (widget);
  g_autofree char *name = entry_text (self->name_row);
  g_autofree char *address = entry_text (self->address_row);
  g_autofree char *login = entry_text (self->login_row);
  g_autofree char *client_cert = entry_text (self->client_cert_row);
  g_autofree char *ca_file = entry_text (self->ca_file_row);
  g_autofree char *imap = server_url ("imaps", "imap", self->imap_host_row,
                                      self->imap_security_row, self->imap_port);
  g_autofree char *smtp = server_url ("smtps", "smtp", self->smtp_host_row,
                                      self->smtp_security_row, self->smtp_port);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(CachetAccount) account = cachet_account_new (name, address, imap, smtp);
  g_autoptr(GError) error = NULL;

  cachet_account_set_login (account, login);
  cachet_account_set_client_cert (account, client_cert);
  cachet_account_set_ca_file (account, ca_file);
  if (!cachet_account_validate (account, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);

  self->pending = g_steal_pointer (&account);
  form_changed_cb (self);
  set_checking (self, TRUE);

  /* The password goes to the keyring first, where the check (and later the
   * sync) looks for it; it leaves again if the account is not kept. */
  if (*password == '\0')
    {
      check_servers (self);
      return;
    }

  cachet_credentials_provider_store_async (self->credentials,
                                           cachet_account_get_id (self->pending),
                                           CACHET_SECRET_PASSWORD, password,
                                           self->cancellable, password_stored_cb,
                                           g_object_ref (self));
}

static void
file_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                gpointer         user_data)
{
  AdwEntryRow *row = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row), path);
    }
  g_object_unref (chooser);
}

static void
choose_file (CachetAddAccountDialog *self,
             const char             *title,
             AdwEntryRow            *row)
{
  /* GtkFileChooserNative goes through the portal inside the Flatpak. */
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Choose"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), row);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
choose_client_cert_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  CachetAddAccountDialog *self = CACHET_ADD_ACCOUNT_DIALOG (widget);

  choose_file (self, _("Choose a Certificate File"), self->client_cert_row);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CachetAddAccountDialog *self = CACHET_ADD_ACCOUNT_DIALOG (widget);

  choose_file (self, _("Choose an Authorities File"), self->ca_file_row);
}

static void
cachet_add_account_dialog_dispose (GObject *object)
{
  CachetAddAccountDialog *self = CACHET_ADD_ACCOUNT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_ADD_ACCOUNT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);
  g_clear_object (&self->accounts);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (cachet_add_account_dialog_parent_class)->dispose (object);
}

static void
cachet_add_account_dialog_class_init (CachetAddAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_add_account_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/cachet-add-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, imap_host_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, imap_security_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, imap_port);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, smtp_host_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, smtp_security_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, smtp_port);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, client_cert_row);
  gtk_widget_class_bind_template_child (widget_class, CachetAddAccountDialog, ca_file_row);
  /* Not used from C, but reachable with gtk_widget_get_template_child() so
   * that tests can check what the user sees. */
  gtk_widget_class_bind_template_child_full (widget_class, "add_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, imap_security_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, smtp_security_changed_cb);

  gtk_widget_class_install_action (widget_class, "dialog.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-client-cert", NULL, choose_client_cert_action);
  gtk_widget_class_install_action (widget_class, "dialog.choose-ca-file", NULL, choose_ca_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cachet_add_account_dialog_init (CachetAddAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  form_changed_cb (self);
}
