/* cachet-composer-window.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cachet-address.h"
#include "cachet-attachment-row.h"
#include "cachet-composer-attachment.h"
#include "cachet-composer-smime.h"
#include "cachet-composer-window.h"
#include "cachet-directory-dialog.h"
#include "cachet-drafts.h"
#include "cachet-message-builder.h"
#include "cachet-message-summary.h"
#include "cachet-recipient-completion.h"

/* Writes one message: recipients checked as they are typed, files attached
 * by a button or dropped from the file manager, and the message handed to
 * the account's outbox, which sends it in the background and keeps it
 * safely until the server has it.
 *
 * What the user writes is kept as a draft: on disk a few seconds after the
 * last change, and, when the window closes unsent, in the account's Drafts
 * folder too (at the next sync). Sending or discarding removes both.
 *
 * Sign and Encrypt start from the account's defaults. Encrypt can be turned
 * on only when every recipient has a known certificate; while it is on but
 * not possible, Send waits and the window says which certificates are
 * missing. */

/* Long enough not to write at every key press, short enough that a crash
 * loses little. */
#define AUTOSAVE_DELAY_SECONDS 3

struct _CachetComposerWindow
{
  AdwWindow           parent_instance;

  CachetApplication  *application;
  GSettings          *settings;
  /* CachetComposerAttachment items, as the list shows them. */
  GListStore         *attachments;
  /* Cancelled when the window closes: nothing it started outlives it. */
  GCancellable       *cancellable;
  /* Kept from the first build on, so that every version of the message,
   * draft or sent, carries the same id. */
  char               *message_id;
  char               *in_reply_to;
  char              **references;
  guint               files_loading;
  gboolean            sending;
  /* The account's store and drafts, for the account chosen at opening. */
  CachetStore        *store;
  CachetDrafts       *drafts;
  /* Cancelled when the message is sent or discarded, so that no late
   * autosave brings the draft back. */
  GCancellable       *autosave_cancellable;
  guint               autosave_id;
  /* The user changed something since the window was filled. */
  gboolean            edited;
  /* A version of this message may be stored as a draft, here or on the
   * server. */
  gboolean            has_draft;
  gboolean            sent;
  gboolean            discarded;
  /* The newest draft found at opening, offered to take up again. */
  GBytes             *resumable_draft;
  /* Directory suggestions under To, Cc and Bcc. */
  CachetRecipientCompletion *completions[3];
  /* Cancelled when the recipients change: only the newest check counts. */
  GCancellable       *certificate_check;
  /* The recipients without a certificate, as last checked; %NULL while a
   * check runs. */
  GStrv               missing_certificates;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkWidget          *content_box;
  GtkWidget          *send_button;
  GtkDropDown        *from_dropdown;
  GtkEntry           *to_entry;
  GtkEntry           *cc_entry;
  GtkEntry           *bcc_entry;
  GtkToggleButton    *cc_toggle;
  GtkToggleButton    *bcc_toggle;
  GtkEntry           *subject_entry;
  GtkTextView        *body_view;
  GtkRevealer        *attachments_revealer;
  GtkListBox         *attachment_list;
  GtkLabel           *total_size_label;
  GtkRevealer        *size_warning_revealer;
  GtkLabel           *size_warning_label;
  GtkToggleButton    *sign_toggle;
  GtkToggleButton    *encrypt_toggle;
  GtkRevealer        *encrypt_revealer;
  GtkLabel           *encrypt_label;
  GtkWidget          *import_certificate_button;
};

G_DEFINE_FINAL_TYPE (CachetComposerWindow, cachet_composer_window, ADW_TYPE_WINDOW)

static void
show_toast (CachetComposerWindow *self,
            const char           *message)
{
  /* Toast titles are markup; messages may quote addresses in <>. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static CachetAccount *
get_account (CachetComposerWindow *self)
{
  return gtk_drop_down_get_selected_item (self->from_dropdown);
}

static char *
get_body (CachetComposerWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Parses a recipient field and shows what is wrong with it, on the field
 * and to assistive technologies. */
static GPtrArray *
parse_recipient_field (GtkEntry *entry)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *addresses = cachet_address_parse_list (gtk_editable_get_text (GTK_EDITABLE (entry)), &error);

  if (addresses == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_entry_set_icon_from_icon_name (entry, GTK_ENTRY_ICON_SECONDARY, "dialog-warning-symbolic");
      gtk_entry_set_icon_tooltip_text (entry, GTK_ENTRY_ICON_SECONDARY, error->message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
      gtk_entry_set_icon_from_icon_name (entry, GTK_ENTRY_ICON_SECONDARY, NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID);
    }

  return addresses;
}

static gboolean
has_identity (CachetComposerWindow *self)
{
  CachetAccount *account = get_account (self);

  return account != NULL && cachet_account_get_smime_identity (account) != NULL;
}

/* Why @toggle cannot be used, or %NULL when it can: on its tooltip and to
 * assistive technologies. */
static void
explain_toggle (GtkToggleButton *toggle,
                const char      *name,
                const char      *explanation)
{
  gtk_widget_set_tooltip_text (GTK_WIDGET (toggle), explanation != NULL ? explanation : name);
  if (explanation != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (toggle),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, explanation,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* The sender is always a recipient of an encrypted message, so encrypting
 * takes the sender's identity too. */
static gboolean
can_encrypt (CachetComposerWindow *self)
{
  return has_identity (self) && self->missing_certificates != NULL && self->missing_certificates[0] == NULL;
}

/* An unavailable Encrypt stays sensitive while on, so that the user can
 * still turn it off and send in clear knowingly; Send waits meanwhile. */
static void
update_encrypt_toggle (CachetComposerWindow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->encrypt_toggle);
  gboolean available = can_encrypt (self);
  gboolean missing = has_identity (self) && self->missing_certificates != NULL &&
                     self->missing_certificates[0] != NULL;
  g_autofree char *explanation = NULL;

  if (!has_identity (self))
    explanation = g_strdup (_("Encrypting needs your own certificate: choose one for this account in "
                              "Preferences, Certificates."));
  else if (missing)
    {
      g_autofree char *list = g_strjoinv (", ", self->missing_certificates);

      /* Translators: %s is a list of addresses. */
      explanation = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Cannot encrypt: there is no certificate for %s. Import it, or "
                                                  "remove this recipient.",
                                                  "Cannot encrypt: there are no certificates for %s. Import them, "
                                                  "or remove these recipients.",
                                                  g_strv_length (self->missing_certificates)),
                                     list);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->encrypt_toggle), available || active);
  explain_toggle (self->encrypt_toggle, _("Encrypt"), explanation);
  /* Said in the window only once known, and where the user can act on it
   * or asked for it: someone who does not use S/MIME is not told about
   * certificates. */
  gtk_label_set_text (self->encrypt_label, explanation != NULL ? explanation : "");
  gtk_revealer_set_reveal_child (self->encrypt_revealer, explanation != NULL && (missing || active));
  gtk_widget_set_visible (self->import_certificate_button, missing);
}

/* Send is possible once every field reads as addresses, one at least,
 * every file is read, and, when Encrypt is on, every recipient has a
 * certificate: a message meant to be encrypted never goes in clear. */
static void
update_send_action (CachetComposerWindow *self)
{
  GtkEntry *fields[] = { self->to_entry, self->cc_entry, self->bcc_entry };
  gboolean valid = TRUE;
  guint n_recipients = 0;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GPtrArray) addresses = parse_recipient_field (fields[i]);

      if (addresses == NULL)
        valid = FALSE;
      else
        n_recipients += addresses->len;
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send",
                                 valid && n_recipients > 0 && self->files_loading == 0 &&
                                 !self->sending && get_account (self) != NULL &&
                                 (!gtk_toggle_button_get_active (self->encrypt_toggle) || can_encrypt (self)));
}

static void save_draft (CachetComposerWindow *self,
                        gboolean              closing);

static gboolean
autosave_cb (gpointer user_data)
{
  CachetComposerWindow *self = user_data;

  self->autosave_id = 0;
  save_draft (self, FALSE);
  return G_SOURCE_REMOVE;
}

/* Every change made by the user, not by filling the window in. */
static void
edited_cb (CachetComposerWindow *self)
{
  self->edited = TRUE;
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->autosave_id = g_timeout_add_seconds (AUTOSAVE_DELAY_SECONDS, autosave_cb, self);
}

static void
missing_certificates_found_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(CachetComposerWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  GStrv missing = cachet_composer_smime_find_missing_finish (CACHET_CERTIFICATE_STORE (source), result,
                                                             &error);

  if (missing == NULL)
    return;
  g_strfreev (self->missing_certificates);
  self->missing_certificates = missing;
  update_encrypt_toggle (self);
  update_send_action (self);
}

/* Every recipient, To, Cc and Bcc; fields that do not read as addresses
 * yet are left out (Send is refused for them anyway). */
static GStrv
dup_recipient_addresses (CachetComposerWindow *self)
{
  GtkEntry *fields[] = { self->to_entry, self->cc_entry, self->bcc_entry };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GPtrArray) addresses = cachet_address_parse_list (gtk_editable_get_text (GTK_EDITABLE (fields[i])),
                                                                  NULL);

      for (guint j = 0; addresses != NULL && j < addresses->len; j++)
        g_strv_builder_add (builder, ((CachetMessageAddress *) g_ptr_array_index (addresses, j))->address);
    }
  return g_strv_builder_end (builder);
}

/* Looks the recipients' certificates up again, after a change to the
 * recipients, the account or the certificates. */
static void
check_certificates (CachetComposerWindow *self)
{
  g_auto(GStrv) addresses = dup_recipient_addresses (self);

  g_cancellable_cancel (self->certificate_check);
  g_clear_object (&self->certificate_check);
  g_clear_pointer (&self->missing_certificates, g_strfreev);
  update_encrypt_toggle (self);
  update_send_action (self);
  if (!has_identity (self))
    return;

  self->certificate_check = g_cancellable_new ();
  cachet_composer_smime_find_missing_async (cachet_application_get_certificate_store (self->application),
                                            (const char * const *) addresses, self->certificate_check,
                                            missing_certificates_found_cb, g_object_ref (self));
}

static void
recipients_changed_cb (CachetComposerWindow *self)
{
  check_certificates (self);
  edited_cb (self);
}

static void
security_toggled_cb (CachetComposerWindow *self)
{
  update_encrypt_toggle (self);
  update_send_action (self);
}

/* Each account brings its own identity and defaults. */
static void
apply_account_security (CachetComposerWindow *self)
{
  CachetAccount *account = get_account (self);
  gboolean identity = has_identity (self);

  gtk_toggle_button_set_active (self->sign_toggle, identity && cachet_account_get_smime_sign (account));
  gtk_toggle_button_set_active (self->encrypt_toggle, identity && cachet_account_get_smime_encrypt (account));
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_toggle), identity);
  explain_toggle (self->sign_toggle, _("Sign"),
                  identity ? NULL
                  : _("Signing needs your own certificate: choose one for this account in Preferences, "
                      "Certificates."));
  check_certificates (self);
}

static void
certificate_imported_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(CachetComposerWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (cachet_composer_smime_import_finish (CACHET_CERTIFICATE_STORE (source), result, &error))
    check_certificates (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("The certificate was not imported: %s"), error->message);

      show_toast (self, text);
    }
}

/**
 * cachet_composer_window_import_certificate:
 * @file: a recipient's certificate (PEM or DER)
 *
 * Keeps @file's certificates with the correspondents' ones, in the
 * background, then checks again whether the message can be encrypted.
 */
void
cachet_composer_window_import_certificate (CachetComposerWindow *self,
                                           GFile                *file)
{
  g_return_if_fail (CACHET_IS_COMPOSER_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  cachet_composer_smime_import_async (cachet_application_get_certificate_store (self->application), file,
                                      self->cancellable, certificate_imported_cb, g_object_ref (self));
}

static void
certificate_chooser_response_cb (CachetComposerWindow *self,
                                 int                   response,
                                 GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      cachet_composer_window_import_certificate (self, file);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_object_unref (chooser);
}

static void
cachet_composer_window_import_certificate_action (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Import Certificate"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Import"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificates"));
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "crt");
  gtk_file_filter_add_suffix (filter, "cer");
  gtk_file_filter_add_suffix (filter, "der");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (certificate_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
content_changed_cb (CachetComposerWindow *self)
{
  const char *subject = gtk_editable_get_text (GTK_EDITABLE (self->subject_entry));

  gtk_window_set_title (GTK_WINDOW (self), *subject != '\0' ? subject : _("New Message"));
  edited_cb (self);
}

static guint64
total_attachment_size (CachetComposerWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));
  guint64 total = 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CachetComposerAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      total += cachet_composer_attachment_get_size (attachment);
    }
  return total;
}

/* The size as it will travel is a third larger (base64): the warning is
 * about what the user sees, the files' size, against a limit the practice
 * chooses with that in mind. */
static void
update_attachment_summary (CachetComposerWindow *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));
  guint64 total = total_attachment_size (self);
  guint64 warning_size = g_settings_get_uint64 (self->settings, "attachment-warning-size");
  g_autofree char *total_text = g_format_size (total);
  g_autofree char *summary = NULL;

  gtk_revealer_set_reveal_child (self->attachments_revealer, n_items > 0);
  /* Translators: below the message, e.g. "2 attachments, 3.1 MB in all". */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u attachment, %s in all", "%u attachments, %s in all",
                                          n_items),
                             n_items, total_text);
  gtk_label_set_text (self->total_size_label, summary);

  if (total > warning_size)
    {
      g_autofree char *limit_text = g_format_size (warning_size);
      g_autofree char *warning = g_strdup_printf (_("The attachments add up to %s, more than %s: the recipient’s "
                                                    "server may refuse the message. Remove some files, or send "
                                                    "them in several messages."),
                                                  total_text, limit_text);

      gtk_label_set_text (self->size_warning_label, warning);
    }
  gtk_revealer_set_reveal_child (self->size_warning_revealer, total > warning_size);
}

static void
attachment_row_remove_cb (CachetComposerWindow *self,
                          CachetAttachmentRow  *row)
{
  guint position;

  if (g_list_store_find (self->attachments, cachet_attachment_row_get_attachment (row), &position))
    g_list_store_remove (self->attachments, position);
}

static GtkWidget *
create_attachment_row (gpointer item,
                       gpointer user_data)
{
  CachetAttachmentRow *row = cachet_attachment_row_new (item);

  g_signal_connect_object (row, "remove", G_CALLBACK (attachment_row_remove_cb), user_data, G_CONNECT_SWAPPED);
  return GTK_WIDGET (row);
}

static void
attachment_loaded_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CachetComposerWindow) self = user_data;
  g_autoptr(CachetComposerAttachment) attachment = NULL;
  g_autoptr(GError) error = NULL;

  attachment = cachet_composer_attachment_new_from_file_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->files_loading--;
  if (attachment == NULL)
    show_toast (self, error->message);
  else
    g_list_store_append (self->attachments, attachment);
  update_send_action (self);
}

/**
 * cachet_composer_window_add_file:
 * @file: a file to attach
 *
 * Reads @file in the background and attaches it; a file that cannot be read
 * or is too large is reported in the window.
 */
void
cachet_composer_window_add_file (CachetComposerWindow *self,
                                 GFile                *file)
{
  g_return_if_fail (CACHET_IS_COMPOSER_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  self->files_loading++;
  update_send_action (self);
  cachet_composer_attachment_new_from_file_async (file, self->cancellable, attachment_loaded_cb,
                                                  g_object_ref (self));
}

static gboolean
drop_cb (CachetComposerWindow *self,
         const GValue         *value,
         double                x,
         double                y)
{
  GdkFileList *file_list = g_value_get_boxed (value);
  g_autoptr(GSList) files = NULL;

  if (file_list == NULL)
    return FALSE;
  files = gdk_file_list_get_files (file_list);
  for (GSList *l = files; l != NULL; l = l->next)
    cachet_composer_window_add_file (self, l->data);

  return files != NULL;
}

static void
file_chooser_response_cb (CachetComposerWindow *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      guint n_files = g_list_model_get_n_items (files);

      for (guint i = 0; i < n_files; i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          cachet_composer_window_add_file (self, file);
        }
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_object_unref (chooser);
}

static void
cachet_composer_window_attach_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Attach Files"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               _("_Attach"), _("_Cancel"));

  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (file_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/**
 * cachet_composer_window_add_recipient:
 * @address: an address, or "Name <address>"
 *
 * Adds @address at the end of the To field, where it is checked like
 * anything typed there.
 */
void
cachet_composer_window_add_recipient (CachetComposerWindow *self,
                                      const char           *address)
{
  GtkEditable *to = GTK_EDITABLE (self->to_entry);
  g_autofree char *current = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (CACHET_IS_COMPOSER_WINDOW (self));
  g_return_if_fail (address != NULL);

  /* A separator left at the end by the user is not doubled. */
  current = g_strstrip (g_strdup (gtk_editable_get_text (to)));
  while (*current != '\0' && (g_str_has_suffix (current, ",") || g_str_has_suffix (current, ";")))
    {
      current[strlen (current) - 1] = '\0';
      g_strchomp (current);
    }
  text = *current != '\0' ? g_strconcat (current, ", ", address, NULL) : g_strdup (address);
  gtk_editable_set_text (to, text);
  gtk_editable_set_position (to, -1);
}

static void
cachet_composer_window_find_in_directory_action (GtkWidget  *widget,
                                                 const char *action_name,
                                                 GVariant   *parameter)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (cachet_directory_dialog_new (GTK_APPLICATION (self->application), self)));
}

static void
add_recipients (CachetMessageBuilder *builder,
                CachetRecipientKind   kind,
                GPtrArray            *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      CachetMessageAddress *address = g_ptr_array_index (addresses, i);

      cachet_message_builder_add_recipient (builder, kind, address->name, address->address);
    }
}

/* The addresses of a field; for a draft, a field that does not read as
 * addresses yet is left out rather than refused. */
static GPtrArray *
parse_field_for (GtkEntry  *entry,
                 gboolean   for_draft,
                 GError   **error)
{
  GPtrArray *addresses = cachet_address_parse_list (gtk_editable_get_text (GTK_EDITABLE (entry)),
                                                    for_draft ? NULL : error);

  if (addresses == NULL && for_draft)
    return g_ptr_array_new ();
  return addresses;
}

/* The message as the window shows it; %NULL when a field does not read as
 * addresses (unless @for_draft). */
static CachetMessageBuilder *
create_builder (CachetComposerWindow  *self,
                gboolean               for_draft,
                GError               **error)
{
  CachetAccount *account = get_account (self);
  g_autoptr(CachetMessageBuilder) builder = NULL;
  g_autoptr(GPtrArray) to = NULL;
  g_autoptr(GPtrArray) cc = NULL;
  g_autoptr(GPtrArray) bcc = NULL;
  g_autofree char *body = get_body (self);
  guint n_attachments = g_list_model_get_n_items (G_LIST_MODEL (self->attachments));

  if (account == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no account to send from. Add one in the main window."));
      return NULL;
    }
  if ((to = parse_field_for (self->to_entry, for_draft, error)) == NULL ||
      (cc = parse_field_for (self->cc_entry, for_draft, error)) == NULL ||
      (bcc = parse_field_for (self->bcc_entry, for_draft, error)) == NULL)
    return NULL;

  builder = cachet_message_builder_new (cachet_account_get_name (account), cachet_account_get_address (account));
  if (self->message_id == NULL)
    self->message_id = g_strdup (cachet_message_builder_get_message_id (builder));
  else
    cachet_message_builder_set_message_id (builder, self->message_id);
  add_recipients (builder, CACHET_RECIPIENT_TO, to);
  add_recipients (builder, CACHET_RECIPIENT_CC, cc);
  add_recipients (builder, CACHET_RECIPIENT_BCC, bcc);
  cachet_message_builder_set_subject (builder, gtk_editable_get_text (GTK_EDITABLE (self->subject_entry)));
  cachet_message_builder_set_body (builder, body);
  cachet_message_builder_set_in_reply_to (builder, self->in_reply_to);
  cachet_message_builder_set_references (builder, (const char * const *) self->references);
  for (guint i = 0; i < n_attachments; i++)
    {
      g_autoptr(CachetComposerAttachment) attachment = g_list_model_get_item (G_LIST_MODEL (self->attachments), i);

      if (!cachet_message_builder_add_attachment_bytes (builder,
                                                        cachet_composer_attachment_get_file_name (attachment),
                                                        cachet_composer_attachment_get_content_type (attachment),
                                                        cachet_composer_attachment_get_data (attachment),
                                                        error))
        return NULL;
    }

  return g_steal_pointer (&builder);
}

/* Asks the next sync to store, or delete, the draft in the account's Drafts
 * folder; an account without one keeps its drafts on this computer only.
 * Runs in a worker thread: the store may be used from any thread. */
static void
queue_server_draft_action (CachetStore             *store,
                           CachetPendingActionKind  kind,
                           const char              *message_id,
                           GBytes                  *draft)
{
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bracketed_id = g_strdup_printf ("<%s>", message_id);
  const CachetFolderInfo *drafts_folder = NULL;
  CachetPendingAction action = { 0 };

  folders = cachet_store_list_folders (store, &error);
  if (folders == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }
  for (guint i = 0; i < folders->len && drafts_folder == NULL; i++)
    {
      const CachetFolderInfo *info = g_ptr_array_index (folders, i);

      if (info->special_use != NULL && g_ascii_strcasecmp (info->special_use, "\\Drafts") == 0)
        drafts_folder = info;
    }
  if (drafts_folder == NULL)
    return;

  action.kind = kind;
  action.folder = drafts_folder->name;
  action.uidvalidity = drafts_folder->uidvalidity;
  action.message_id = bracketed_id;
  if (kind == CACHET_PENDING_ACTION_APPEND)
    action.flags = CACHET_MESSAGE_FLAG_DRAFT | CACHET_MESSAGE_FLAG_SEEN;
  if (cachet_store_queue_action (store, &action, draft, &error) == 0)
    g_warning ("Could not queue a change to the server’s drafts: %s", error->message);
}

typedef struct
{
  CachetMessageBuilder *builder;
  CachetDrafts         *drafts;
  CachetStore          *store;
  GApplication         *application;
  gboolean              to_server;
} DraftSave;

static void
draft_save_free (DraftSave *save)
{
  g_clear_object (&save->builder);
  g_clear_object (&save->drafts);
  g_clear_object (&save->store);
  if (save->application != NULL)
    g_application_release (save->application);
  g_clear_object (&save->application);
  g_free (save);
}

static void
save_draft_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DraftSave *save = task_data;
  const char *message_id = cachet_message_builder_get_message_id (save->builder);
  GError *error = NULL;
  g_autoptr(GBytes) draft = cachet_message_builder_build_draft (save->builder, &error);

  if (draft == NULL || !cachet_drafts_save (save->drafts, message_id, draft, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (save->to_server)
    queue_server_draft_action (save->store, CACHET_PENDING_ACTION_APPEND, message_id, draft);
  g_task_return_boolean (task, TRUE);
}

/* Runs whether the window is still there or not: it touches no widget. */
static void
draft_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save a draft: %s", error->message);
}

/* Keeps what the window shows on disk; @closing also sends a copy to the
 * server's Drafts folder, and finishes even though the window goes. */
static void
save_draft (CachetComposerWindow *self,
            gboolean              closing)
{
  g_autoptr(CachetMessageBuilder) builder = NULL;
  g_autoptr(GTask) task = NULL;
  DraftSave *save;

  if (self->drafts == NULL || self->sent || self->discarded)
    return;
  builder = create_builder (self, TRUE, NULL);
  if (builder == NULL)
    return;

  save = g_new0 (DraftSave, 1);
  save->builder = g_steal_pointer (&builder);
  save->drafts = g_object_ref (self->drafts);
  save->store = g_object_ref (self->store);
  /* A message marked Encrypt is meant for no one else to read: its draft
   * stays on this computer and never goes to the server's Drafts folder in
   * clear, where the operator could read it. */
  save->to_server = closing && !gtk_toggle_button_get_active (self->encrypt_toggle);
  if (closing)
    {
      /* The application stays up until the draft is safe. */
      save->application = G_APPLICATION (g_object_ref (self->application));
      g_application_hold (save->application);
    }
  self->has_draft = TRUE;

  task = g_task_new (NULL, self->autosave_cancellable, draft_saved_cb, NULL);
  g_task_set_source_tag (task, save_draft);
  g_task_set_task_data (task, save, (GDestroyNotify) draft_save_free);
  g_task_run_in_thread (task, save_draft_thread);
}

typedef struct
{
  CachetDrafts *drafts;
  CachetStore  *store;
  char         *message_id;
} DraftRemoval;

static void
draft_removal_free (DraftRemoval *removal)
{
  g_clear_object (&removal->drafts);
  g_clear_object (&removal->store);
  g_free (removal->message_id);
  g_free (removal);
}

static void
remove_draft_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DraftRemoval *removal = task_data;
  GError *error = NULL;

  queue_server_draft_action (removal->store, CACHET_PENDING_ACTION_DELETE_BY_MESSAGE_ID, removal->message_id,
                             NULL);
  if (cachet_drafts_remove (removal->drafts, removal->message_id, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
draft_removed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not remove a draft: %s", error->message);
}

/* The message is sent or thrown away: its draft goes, here and on the
 * server. */
static void
forget_draft (CachetComposerWindow *self)
{
  g_autoptr(GTask) task = NULL;
  DraftRemoval *removal;

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  g_cancellable_cancel (self->autosave_cancellable);
  if (!self->has_draft || self->drafts == NULL)
    return;

  removal = g_new0 (DraftRemoval, 1);
  removal->drafts = g_object_ref (self->drafts);
  removal->store = g_object_ref (self->store);
  removal->message_id = g_strdup (self->message_id);
  task = g_task_new (NULL, NULL, draft_removed_cb, NULL);
  g_task_set_source_tag (task, forget_draft);
  g_task_set_task_data (task, removal, (GDestroyNotify) draft_removal_free);
  g_task_run_in_thread (task, remove_draft_thread);
  self->has_draft = FALSE;
}

typedef struct
{
  CachetMessageBuilder   *builder;
  CachetCertificateStore *certificates;
  /* Loaded when the message is signed or encrypted. */
  CachetSmimeIdentity    *identity;
  gboolean                sign;
  gboolean                encrypt;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->builder);
  g_clear_object (&data->certificates);
  g_clear_object (&data->identity);
  g_free (data);
}

/* Builds the message, then signs and encrypts it: whatever fails, nothing
 * unprotected comes out of a message meant to be protected. */
static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SendData *data = task_data;
  GError *error = NULL;
  g_autoptr(GBytes) message = cachet_message_builder_build (data->builder, &error);
  g_auto(GStrv) recipients = NULL;

  if (message != NULL && (data->sign || data->encrypt))
    {
      g_autoptr(GBytes) clear = g_steal_pointer (&message);

      recipients = cachet_message_builder_dup_recipients (data->builder);
      message = cachet_smime_protect_message (clear, data->identity, data->certificates,
                                              (const char * const *) recipients, data->sign, data->encrypt,
                                              &error);
    }
  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&message), (GDestroyNotify) g_bytes_unref);
}

static void
send_failed (CachetComposerWindow *self,
             const GError         *error)
{
  g_autofree char *text = g_strdup_printf (_("The message was not sent: %s"), error->message);

  show_toast (self, text);
  gtk_widget_set_sensitive (self->content_box, TRUE);
  update_send_action (self);
}

static void
message_built_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (source);
  SendData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) message = NULL;
  g_auto(GStrv) recipients = NULL;
  g_autoptr(GError) error = NULL;

  message = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sending = FALSE;
  if (message != NULL)
    {
      recipients = cachet_message_builder_dup_recipients (data->builder);
      if (cachet_application_queue_message (self->application, get_account (self), message,
                                            (const char * const *) recipients, &error))
        {
          self->sent = TRUE;
          forget_draft (self);
          gtk_window_destroy (GTK_WINDOW (self));
          return;
        }
    }

  send_failed (self, error);
}

static void
identity_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->identity = cachet_smime_identity_load_finish (result, &error);
  if (data->identity == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, build_thread);
}

static void
cachet_composer_window_send_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (widget);
  CachetAccount *account = get_account (self);
  g_autoptr(CachetMessageBuilder) builder = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SendData *data;

  builder = create_builder (self, FALSE, &error);
  if (builder == NULL)
    {
      show_toast (self, error->message);
      return;
    }

  /* Encoding large attachments takes a moment: off the main thread, with
   * the window frozen so that what is sent is what was shown. */
  self->sending = TRUE;
  gtk_widget_set_sensitive (self->content_box, FALSE);
  update_send_action (self);
  data = g_new0 (SendData, 1);
  data->builder = g_steal_pointer (&builder);
  data->certificates = g_object_ref (cachet_application_get_certificate_store (self->application));
  data->sign = gtk_toggle_button_get_active (self->sign_toggle);
  data->encrypt = gtk_toggle_button_get_active (self->encrypt_toggle);
  task = g_task_new (self, self->cancellable, message_built_cb, NULL);
  g_task_set_source_tag (task, cachet_composer_window_send_action);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  if (!data->sign && !data->encrypt)
    {
      g_task_run_in_thread (task, build_thread);
      return;
    }
  if (cachet_account_get_smime_identity (account) == NULL)
    {
      /* The identity was removed in Preferences after the window opened. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("This account has no certificate any more. Choose one in Preferences, "
                                 "Certificates, or turn off Sign and Encrypt."));
      return;
    }
  /* The passphrase of a PKCS #12 file comes from the credentials provider;
   * a smart card may ask for its PIN. */
  cachet_smime_identity_load_async (cachet_account_get_smime_identity (account),
                                    cachet_application_get_credentials (self->application),
                                    cachet_account_get_id (account), self->cancellable, identity_loaded_cb,
                                    g_steal_pointer (&task));
}

static void
cachet_composer_window_discard_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (widget);

  self->discarded = TRUE;
  forget_draft (self);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
read_draft_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;
  CachetReply *content = cachet_reply_new_from_draft (task_data, &error);

  if (content == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, content, (GDestroyNotify) cachet_reply_free);
}

static void
draft_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (source);
  g_autoptr(CachetReply) content = NULL;
  g_autoptr(GError) error = NULL;

  content = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (content == NULL)
    show_toast (self, error->message);
  else
    cachet_composer_window_start_reply (self, content);
}

/**
 * cachet_composer_window_open_draft:
 * @draft: a draft saved earlier, here or by another client
 *
 * Takes @draft up: its recipients, subject, text, attachments and thread,
 * and its Message-ID, so that saving it again replaces it.
 */
void
cachet_composer_window_open_draft (CachetComposerWindow *self,
                                   GBytes               *draft)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CACHET_IS_COMPOSER_WINDOW (self));
  g_return_if_fail (draft != NULL);

  task = g_task_new (self, self->cancellable, draft_read_cb, NULL);
  g_task_set_source_tag (task, cachet_composer_window_open_draft);
  g_task_set_task_data (task, g_bytes_ref (draft), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, read_draft_thread);
}

static void
cachet_composer_window_resume_draft_action (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (widget);
  g_autoptr(GBytes) draft = g_steal_pointer (&self->resumable_draft);

  if (draft != NULL)
    cachet_composer_window_open_draft (self, draft);
}

static void
drafts_listed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CachetComposerWindow) self = user_data;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  drafts = cachet_drafts_list_finish (CACHET_DRAFTS (source), result, &error);
  if (drafts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the drafts: %s", error->message);
      return;
    }
  /* Only a blank new message offers to take a draft up instead. */
  if (drafts->len == 0 || self->edited || self->has_draft || self->in_reply_to != NULL || self->references != NULL)
    return;

  self->resumable_draft = g_bytes_ref (g_ptr_array_index (drafts, 0));
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "You have %u unsent draft", "You have %u unsent drafts",
                                        drafts->len),
                           drafts->len);
  toast = adw_toast_new (title);
  /* Translators: a button that opens the latest unsent draft. */
  adw_toast_set_button_label (toast, _("_Resume Latest"));
  adw_toast_set_action_name (toast, "composer.resume-draft");
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
format_addresses (GPtrArray *addresses)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < addresses->len; i++)
    {
      CachetMessageAddress *address = g_ptr_array_index (addresses, i);
      g_autofree char *formatted = cachet_address_format (address->name, address->address);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, formatted);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * cachet_composer_window_start_reply:
 * @reply: what cachet_reply_new() computed from the original
 *
 * Fills the window with a reply or forward: recipients, subject, the quoted
 * or forwarded text with the cursor above it, the thread headers and, for a
 * forward, the original's attachments. A draft taken up again also brings
 * its Bcc and keeps its Message-ID, so that saving replaces it.
 */
void
cachet_composer_window_start_reply (CachetComposerWindow *self,
                                    const CachetReply    *reply)
{
  g_autofree char *to = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *bcc = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start;

  g_return_if_fail (CACHET_IS_COMPOSER_WINDOW (self));
  g_return_if_fail (reply != NULL);

  to = format_addresses (reply->to);
  cc = format_addresses (reply->cc);
  bcc = format_addresses (reply->bcc);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  gtk_editable_set_text (GTK_EDITABLE (self->cc_entry), cc);
  gtk_editable_set_text (GTK_EDITABLE (self->bcc_entry), bcc);
  gtk_toggle_button_set_active (self->cc_toggle, *cc != '\0');
  gtk_toggle_button_set_active (self->bcc_toggle, *bcc != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->subject_entry), reply->subject);

  buffer = gtk_text_view_get_buffer (self->body_view);
  gtk_text_buffer_set_text (buffer, reply->body, -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);

  g_free (self->in_reply_to);
  self->in_reply_to = g_strdup (reply->in_reply_to);
  g_strfreev (self->references);
  self->references = g_strdupv (reply->references);
  if (reply->message_id != NULL)
    {
      g_free (self->message_id);
      self->message_id = g_strdup (reply->message_id);
      self->has_draft = TRUE;
    }

  g_list_store_remove_all (self->attachments);
  for (guint i = 0; i < reply->attachments->len; i++)
    {
      CachetReplyAttachment *forwarded = g_ptr_array_index (reply->attachments, i);
      g_autoptr(CachetComposerAttachment) attachment =
        cachet_composer_attachment_new (forwarded->file_name, forwarded->content_type, forwarded->data);

      g_list_store_append (self->attachments, attachment);
    }

  if (reply->content_withheld)
    show_toast (self, _("The original message is encrypted: none of its content was copied into this one."));

  gtk_widget_grab_focus (*to == '\0' ? GTK_WIDGET (self->to_entry) : GTK_WIDGET (self->body_view));
  update_send_action (self);
  /* Filled in, not edited: closing now leaves nothing new to keep. */
  self->edited = FALSE;
  g_clear_handle_id (&self->autosave_id, g_source_remove);
}

typedef struct
{
  CachetApplication *application;
  CachetAccount     *account;
  CachetReplyKind    kind;
  GBytes            *original;
} ReplyData;

static void
reply_data_free (ReplyData *data)
{
  g_clear_object (&data->application);
  g_clear_object (&data->account);
  g_clear_pointer (&data->original, g_bytes_unref);
  g_free (data);
}

static void
compute_reply_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  ReplyData *data = task_data;
  GError *error = NULL;
  CachetReply *reply = cachet_reply_new (data->original, data->kind, cachet_account_get_address (data->account),
                                         &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) cachet_reply_free);
}

static void
reply_computed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReplyData *data = g_task_get_task_data (task);
  g_autoptr(CachetReply) reply = NULL;
  GError *error = NULL;
  CachetComposerWindow *composer;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  composer = cachet_composer_window_new (data->application, data->account);
  cachet_composer_window_start_reply (composer, reply);
  g_task_return_pointer (task, composer, (GDestroyNotify) gtk_window_destroy);
}

static void
original_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReplyData *data = g_task_get_task_data (task);
  g_autoptr(GTask) compute = NULL;
  GError *error = NULL;

  data->original = cachet_store_load_message_finish (CACHET_STORE (source), result, &error);
  if (data->original == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Parsing a large message takes a moment: off the main thread. The data
   * stays with the outer task, which the callback keeps alive. */
  compute = g_task_new (NULL, g_task_get_cancellable (task), reply_computed_cb, g_object_ref (task));
  g_task_set_source_tag (compute, original_loaded_cb);
  g_task_set_task_data (compute, data, NULL);
  g_task_run_in_thread (compute, compute_reply_thread);
}

/**
 * cachet_composer_window_new_reply_async:
 * @application: the application, which sends
 * @account: the account @original belongs to, which answers
 * @store: the account's store
 * @original: the message to answer or forward
 * @kind: reply, reply to all, or forward
 *
 * Reads @original from @store and prepares a composer for the answer, off
 * the main thread.
 */
void
cachet_composer_window_new_reply_async (CachetApplication   *application,
                                        CachetAccount       *account,
                                        CachetStore         *store,
                                        CachetMessageInfo   *original,
                                        CachetReplyKind      kind,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReplyData *data;

  g_return_if_fail (CACHET_IS_APPLICATION (application));
  g_return_if_fail (CACHET_IS_ACCOUNT (account));
  g_return_if_fail (CACHET_IS_STORE (store));
  g_return_if_fail (CACHET_IS_MESSAGE_INFO (original));

  data = g_new0 (ReplyData, 1);
  data->application = g_object_ref (application);
  data->account = g_object_ref (account);
  data->kind = kind;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cachet_composer_window_new_reply_async);
  g_task_set_task_data (task, data, (GDestroyNotify) reply_data_free);
  cachet_store_load_message_async (store, cachet_message_info_get_folder (original),
                                   cachet_message_info_get_uid (original), cancellable,
                                   original_loaded_cb, g_steal_pointer (&task));
}

/**
 * cachet_composer_window_new_reply_finish:
 *
 * Returns: (transfer none) (nullable): the composer, filled in and not shown
 *   yet (owned by GTK, like every window), or %NULL when the original cannot
 *   be read
 */
CachetComposerWindow *
cachet_composer_window_new_reply_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Drafts live with the account the message is sent from. */
static void
attach_account_drafts (CachetComposerWindow *self)
{
  CachetAccount *account = get_account (self);
  g_autoptr(GError) error = NULL;
  CachetStore *store;

  g_clear_object (&self->store);
  g_clear_object (&self->drafts);
  if (account == NULL)
    return;
  store = cachet_application_get_store (self->application, account, &error);
  if (store == NULL)
    {
      g_warning ("Drafts will not be kept: %s", error->message);
      return;
    }
  self->store = g_object_ref (store);
  self->drafts = cachet_drafts_new (cachet_store_get_account_dir (store));
}

/* A draft already kept moves with the message to the other account. */
static void
from_changed_cb (CachetComposerWindow *self)
{
  gboolean had_draft = self->has_draft;

  forget_draft (self);
  g_clear_object (&self->autosave_cancellable);
  self->autosave_cancellable = g_cancellable_new ();
  attach_account_drafts (self);
  apply_account_security (self);
  if (had_draft)
    save_draft (self, FALSE);
}

static char *
account_display_name (CachetAccount *account)
{
  if (account == NULL)
    return NULL;
  return cachet_address_format (cachet_account_get_name (account), cachet_account_get_address (account));
}

/**
 * cachet_composer_window_new:
 * @application: the application, which sends
 * @account: (nullable): the account to send from; the first one when %NULL
 *
 * Returns: (transfer none): a window for a new message, owned by GTK like
 *   every window
 */
CachetComposerWindow *
cachet_composer_window_new (CachetApplication *application,
                            CachetAccount     *account)
{
  CachetComposerWindow *self;
  GListModel *accounts;
  g_autoptr(GtkExpression) expression = NULL;
  guint position = 0;

  g_return_val_if_fail (CACHET_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (account == NULL || CACHET_IS_ACCOUNT (account), NULL);

  self = g_object_new (CACHET_TYPE_COMPOSER_WINDOW,
                       "application", application,
                       NULL);
  self->application = application;

  accounts = G_LIST_MODEL (cachet_application_get_accounts (application));
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (account_display_name), NULL, NULL);
  gtk_drop_down_set_expression (self->from_dropdown, expression);
  gtk_drop_down_set_model (self->from_dropdown, accounts);
  for (guint i = 0; account != NULL && i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(CachetAccount) item = g_list_model_get_item (accounts, i);

      if (item == account)
        position = i;
    }
  gtk_drop_down_set_selected (self->from_dropdown, position);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_dropdown), g_list_model_get_n_items (accounts) > 1);

  attach_account_drafts (self);
  if (self->drafts != NULL)
    cachet_drafts_list_async (self->drafts, self->cancellable, drafts_listed_cb, g_object_ref (self));
  g_signal_connect_object (self->from_dropdown, "notify::selected",
                           G_CALLBACK (from_changed_cb), self, G_CONNECT_SWAPPED);

  apply_account_security (self);
  return self;
}

/* Closing an unsent message keeps it as a draft; the Discard button is
 * there to throw it away. */
static gboolean
cachet_composer_window_close_request (GtkWindow *window)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (window);

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->edited || self->has_draft)
    save_draft (self, TRUE);

  return GTK_WINDOW_CLASS (cachet_composer_window_parent_class)->close_request (window);
}

static void
cachet_composer_window_dispose (GObject *object)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (object);

  g_clear_handle_id (&self->autosave_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->certificate_check);
  g_clear_object (&self->certificate_check);
  g_clear_pointer (&self->missing_certificates, g_strfreev);
  g_clear_object (&self->autosave_cancellable);
  g_clear_object (&self->drafts);
  g_clear_object (&self->store);
  g_clear_pointer (&self->resumable_draft, g_bytes_unref);
  /* A search under way keeps its completion alive: it leaves the fields
   * now, before they go. */
  for (guint i = 0; i < G_N_ELEMENTS (self->completions); i++)
    {
      if (self->completions[i] != NULL)
        cachet_recipient_completion_detach (self->completions[i]);
      g_clear_object (&self->completions[i]);
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_COMPOSER_WINDOW);
  g_clear_object (&self->attachments);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cachet_composer_window_parent_class)->dispose (object);
}

static void
cachet_composer_window_finalize (GObject *object)
{
  CachetComposerWindow *self = CACHET_COMPOSER_WINDOW (object);

  g_free (self->message_id);
  g_free (self->in_reply_to);
  g_strfreev (self->references);

  G_OBJECT_CLASS (cachet_composer_window_parent_class)->finalize (object);
}

static void
cachet_composer_window_class_init (CachetComposerWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_composer_window_dispose;
  object_class->finalize = cachet_composer_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cachet_composer_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-composer-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, send_button);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, to_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, cc_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, bcc_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, cc_toggle);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, bcc_toggle);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, subject_entry);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, body_view);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, attachments_revealer);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, attachment_list);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, total_size_label);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, size_warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, size_warning_label);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, sign_toggle);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, encrypt_toggle);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, encrypt_revealer);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, encrypt_label);
  gtk_widget_class_bind_template_child (widget_class, CachetComposerWindow, import_certificate_button);
  gtk_widget_class_bind_template_callback (widget_class, recipients_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, security_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_changed_cb);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, cachet_composer_window_send_action);
  gtk_widget_class_install_action (widget_class, "composer.attach", NULL, cachet_composer_window_attach_action);
  gtk_widget_class_install_action (widget_class, "composer.import-certificate", NULL,
                                   cachet_composer_window_import_certificate_action);
  gtk_widget_class_install_action (widget_class, "composer.find-in-directory", NULL,
                                   cachet_composer_window_find_in_directory_action);
  gtk_widget_class_install_action (widget_class, "composer.discard", NULL, cachet_composer_window_discard_action);
  gtk_widget_class_install_action (widget_class, "composer.resume-draft", NULL,
                                   cachet_composer_window_resume_draft_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "composer.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "composer.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cachet_composer_window_init (CachetComposerWindow *self)
{
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->autosave_cancellable = g_cancellable_new ();
  self->attachments = g_list_store_new (CACHET_TYPE_COMPOSER_ATTACHMENT);
  self->completions[0] = cachet_recipient_completion_new (self->to_entry);
  self->completions[1] = cachet_recipient_completion_new (self->cc_entry);
  self->completions[2] = cachet_recipient_completion_new (self->bcc_entry);
  gtk_list_box_bind_model (self->attachment_list, G_LIST_MODEL (self->attachments),
                           create_attachment_row, self, NULL);
  g_signal_connect_object (self->attachments, "items-changed",
                           G_CALLBACK (update_attachment_summary), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attachments, "items-changed", G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->body_view), "changed",
                           G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::attachment-warning-size",
                           G_CALLBACK (update_attachment_summary), self, G_CONNECT_SWAPPED);

  /* What a file manager drops: one or several files. */
  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop_target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->content_box, GTK_EVENT_CONTROLLER (drop_target));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
