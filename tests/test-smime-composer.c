/* test-smime-composer.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The composer's Sign and Encrypt on a real display (Xvfb), on certificates
 * made at test time: Encrypt waits for every recipient's certificate and
 * says which are missing, and a message sent signed and encrypted reaches
 * the outbox as an envelope that decrypts, for its recipient, into a validly
 * signed message. The Certificates page of Preferences lists, adds and
 * removes certificates and sets an account's identity.
 */

#include "config.h"

#include <string.h>

#include "cachet-application.h"
#include "cachet-composer-window.h"
#include "cachet-mime.h"
#include "cachet-outbox.h"
#include "cachet-certificates-page.h"
#include "cachet-preferences-window.h"
#include "cachet-smime.h"
#include "cachet-test-credentials.h"
#include "cachet-test-utils.h"
#include "smime-test-pki.h"

/* One application for the whole program, as in a session. */
static CachetApplication *app;

static gpointer
composer_child (CachetComposerWindow *composer,
                const char           *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (composer), CACHET_TYPE_COMPOSER_WINDOW, name);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
is_revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (data);
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *stored = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_credentials_provider_store_finish (CACHET_CREDENTIALS_PROVIDER (source), result, &error));
  g_assert_no_error (error);
  *stored = TRUE;
}

/* alice@example.org's account, whose servers are never reached, signing
 * and encrypting by default with her PKCS #12 identity. */
static CachetAccount *
dup_alice_account (const SmimeTestPki *pki)
{
  CachetAccountList *accounts = cachet_application_get_accounts (app);
  g_autoptr(CachetAccount) account = cachet_account_list_find_by_name (accounts, "Alice", NULL);
  g_autoptr(GError) error = NULL;
  gboolean stored = FALSE;

  if (account != NULL)
    return g_steal_pointer (&account);

  account = cachet_account_new ("Alice", "alice@example.org", "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
  cachet_account_set_smime_identity (account, pki->alice_p12);
  cachet_account_set_smime_sign (account, TRUE);
  cachet_account_set_smime_encrypt (account, TRUE);
  g_assert_true (cachet_account_list_add (accounts, account, &error));
  g_assert_no_error (error);
  cachet_credentials_provider_store_async (cachet_application_get_credentials (app),
                                           cachet_account_get_id (account), CACHET_SECRET_CERTIFICATE_PASSPHRASE,
                                           SMIME_TEST_P12_PASSPHRASE, NULL, stored_cb, &stored);
  cachet_test_iterate_until (is_true, &stored, "the message to be stored");
  return g_steal_pointer (&account);
}

static CachetComposerWindow *
new_alice_composer (const SmimeTestPki *pki,
                    const char         *to)
{
  g_autoptr(CachetAccount) account = dup_alice_account (pki);
  CachetComposerWindow *composer = cachet_composer_window_new (app, account);

  gtk_window_present (GTK_WINDOW (composer));
  gtk_editable_set_text (composer_child (composer, "to_entry"), to);
  return composer;
}

static gboolean
can_send (CachetComposerWindow *composer)
{
  return gtk_widget_get_sensitive (composer_child (composer, "send_button"));
}

/* Runs first: no certificate is kept for alice@example.org yet. */
static void
test_encrypt_needs_certificates (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  CachetComposerWindow *composer;
  GtkToggleButton *sign;
  GtkToggleButton *encrypt;
  g_autoptr(GFile) certificate = NULL;
  const char *tooltip;

  if (pki == NULL)
    return;
  composer = new_alice_composer (pki, "Alice <alice@example.org>");
  sign = composer_child (composer, "sign_toggle");
  encrypt = composer_child (composer, "encrypt_toggle");

  /* The account's defaults, and an identity to sign with. */
  g_assert_true (gtk_toggle_button_get_active (sign));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (sign)));
  g_assert_true (gtk_toggle_button_get_active (encrypt));
  cachet_test_iterate_until (is_revealed, composer_child (composer, "encrypt_revealer"), "is revealed");

  /* Asked for but impossible: Send waits, and the window says why. */
  g_assert_false (can_send (composer));
  g_assert_nonnull (strstr (gtk_label_get_text (composer_child (composer, "encrypt_label")), "alice@example.org"));
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (encrypt));
  g_assert_nonnull (strstr (tooltip, "alice@example.org"));
  g_assert_true (gtk_widget_get_visible (composer_child (composer, "import_certificate_button")));

  /* Turned off, it cannot be turned on again until the certificate is
   * there, and the message may go in clear. */
  gtk_toggle_button_set_active (encrypt, FALSE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (encrypt)));
  g_assert_true (can_send (composer));

  certificate = g_file_new_for_path (pki->alice_cert);
  cachet_composer_window_import_certificate (composer, certificate);
  cachet_test_iterate_until (is_sensitive, encrypt, "is sensitive");
  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "encrypt_revealer")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (encrypt)), ==, "Encrypt");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard", NULL));
}

/* Without an identity of its own, an account can neither sign nor encrypt,
 * and the composer says where to choose one. */
static void
test_no_identity (void)
{
  CachetAccountList *accounts = cachet_application_get_accounts (app);
  g_autoptr(CachetAccount) account = cachet_account_new ("Cabinet Martin", "secretariat@demo.cachet.test",
                                                         "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
  g_autoptr(GError) error = NULL;
  CachetComposerWindow *composer;
  GtkWidget *sign;
  GtkWidget *encrypt;

  /* Defaults without an identity cannot apply. */
  cachet_account_set_smime_sign (account, TRUE);
  cachet_account_set_smime_encrypt (account, TRUE);
  g_assert_true (cachet_account_list_add (accounts, account, &error));
  g_assert_no_error (error);
  composer = cachet_composer_window_new (app, account);
  gtk_window_present (GTK_WINDOW (composer));
  gtk_editable_set_text (composer_child (composer, "to_entry"), "dr.martin@demo.cachet.test");
  sign = composer_child (composer, "sign_toggle");
  encrypt = composer_child (composer, "encrypt_toggle");

  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (sign)));
  g_assert_false (gtk_widget_get_sensitive (sign));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (sign), "Preferences"));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (encrypt)));
  g_assert_false (gtk_widget_get_sensitive (encrypt));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (encrypt), "Preferences"));
  /* Someone who does not use S/MIME sends as before. */
  g_assert_false (gtk_revealer_get_reveal_child (composer_child (composer, "encrypt_revealer")));
  g_assert_true (can_send (composer));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.discard", NULL));
}

/* The identity and the defaults survive a save and a reload. */
static void
test_account_settings_saved (void)
{
  g_autoptr(CachetAccount) account = cachet_account_new ("Alice", "alice@example.org",
                                                         "imaps://127.0.0.1:1", "smtps://127.0.0.1:1");
  g_autoptr(CachetAccount) loaded = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  cachet_account_set_smime_identity (account, "pkcs11:token=CPS;object=Signature");
  cachet_account_set_smime_encrypt (account, TRUE);
  cachet_account_save_to_keyfile (account, keyfile);
  loaded = cachet_account_new_from_keyfile (keyfile, cachet_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cachet_account_get_smime_identity (loaded), ==, "pkcs11:token=CPS;object=Signature");
  g_assert_false (cachet_account_get_smime_sign (loaded));
  g_assert_true (cachet_account_get_smime_encrypt (loaded));

  /* An emptied identity is no identity, and leaves no key behind. */
  cachet_account_set_smime_identity (loaded, "");
  g_assert_null (cachet_account_get_smime_identity (loaded));
  cachet_account_save_to_keyfile (loaded, keyfile);
  g_assert_false (g_key_file_has_key (keyfile, cachet_account_get_id (account), "SmimeIdentity", NULL));
}

static gboolean
outbox_has_message (gpointer data)
{
  g_autoptr(GPtrArray) entries = cachet_outbox_list (data, NULL);

  return entries != NULL && entries->len > 0;
}

static void
test_sends_signed_and_encrypted (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  CachetCertificateStore *certificates = cachet_application_get_certificate_store (app);
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(CachetOutbox) outbox = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(CachetSmimeIdentity) identity = NULL;
  g_autoptr(CachetSecurityReport) report = NULL;
  g_autoptr(GMimeObject) content = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CachetComposerWindow *composer;
  GMimeContentType *type;

  if (pki == NULL)
    return;
  /* The recipient's certificate kept, and the test CA trusted, so that the
   * signature can be judged valid. */
  imported = cachet_certificate_store_import_file (certificates, pki->alice_cert, &error);
  g_assert_no_error (error);
  anchors = cachet_certificate_store_trust_file (certificates, pki->ca, &error);
  g_assert_no_error (error);
  account = dup_alice_account (pki);
  outbox = cachet_outbox_new_for_account (cachet_account_get_id (account));

  composer = new_alice_composer (pki, "alice@example.org");
  gtk_editable_set_text (composer_child (composer, "subject_entry"), "Résultats");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer_child (composer, "body_view")),
                            "Bonjour,\nvoici les résultats.\n", -1);
  cachet_test_iterate_until ((CachetTestCondition) can_send, composer, "the composer to allow sending");
  g_assert_true (gtk_toggle_button_get_active (composer_child (composer, "sign_toggle")));
  g_assert_true (gtk_toggle_button_get_active (composer_child (composer, "encrypt_toggle")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL));
  cachet_test_iterate_until (outbox_has_message, outbox, "outbox has message");

  entries = cachet_outbox_list (outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  raw = cachet_outbox_load_message (outbox, ((CachetOutboxEntry *) g_ptr_array_index (entries, 0))->id, &error);
  g_assert_no_error (error);
  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);

  /* Nothing readable travels: the whole body is the envelope. */
  type = g_mime_object_get_content_type (g_mime_message_get_mime_part (message));
  g_assert_true (g_mime_content_type_is_type (type, "application", "pkcs7-mime"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "smime-type"), ==, "enveloped-data");
  text = g_strndup (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  g_assert_null (strstr (text, "voici les"));

  identity = cachet_smime_identity_load_pkcs12 (pki->alice_p12, SMIME_TEST_P12_PASSPHRASE, &error);
  g_assert_no_error (error);
  content = cachet_smime_decrypt_message (message, identity, certificates, &report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (content);
  g_assert_true (cachet_security_report_is_encrypted (report));
  g_assert_true (cachet_security_report_is_signed (report));
  g_assert_cmpint (cachet_security_report_get_verdict (report), ==, CACHET_SECURITY_VERDICT_VALID);
}

static gpointer
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      gpointer found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkListBox *list;
  const char *title;
  gboolean    listed;
} ListedCheck;

/* Whether @check's list shows a row titled @check->title, or none at all
 * when @check->title is %NULL. */
static gboolean
is_listed (gpointer data)
{
  ListedCheck *check = data;
  gboolean found = FALSE;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (check->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (ADW_IS_PREFERENCES_ROW (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), check->title) == 0)
        found = TRUE;
    }
  return found == check->listed;
}

static void
wait_listed (gpointer    page,
             const char *list,
             const char *title,
             gboolean    listed)
{
  ListedCheck check = {
    .list = GTK_LIST_BOX (gtk_widget_get_template_child (page, CACHET_TYPE_CERTIFICATES_PAGE, list)),
    .title = title,
    .listed = listed,
  };

  cachet_test_iterate_until (is_listed, &check, "is listed");
}

static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  GtkWidget *found = NULL;

  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_button_labelled (child, label);
  return found;
}

static GtkWidget *
find_entry_with_text (GtkWidget  *root,
                      const char *text)
{
  GtkWidget *found = NULL;

  if (ADW_IS_ENTRY_ROW (root) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_entry_with_text (child, text);
  return found;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* Clicks @button, which asks first, and answers @response. */
static void
click_and_answer (GtkWidget  *button,
                  const char *response)
{
  AdwMessageDialog *dialog;

  g_assert_null (find_message_dialog ());
  g_signal_emit_by_name (button, "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove the Certificate?");
  /* It names whom it is about and says what is lost, and what is not. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            "Messages to alice@example.org can no longer be encrypted"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "signed messages are still checked"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==, ADW_RESPONSE_DESTRUCTIVE);
  /* As a click on the answer's button does: answer, then close. */
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cachet_certificates_page_export_certificate_finish (CACHET_CERTIFICATES_PAGE (source), result,
                                                                     &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_preferences_certificates (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  g_autoptr(CachetCertificateStore) certificates = NULL;
  g_autoptr(CachetTestCredentials) credentials = NULL;
  g_autoptr(CachetAccount) account = NULL;
  g_autoptr(GFile) correspondent = NULL;
  g_autoptr(GFile) anchor = NULL;
  g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *ca_pem = NULL;
  g_autoptr(GBytes) ca_data = NULL;
  g_autoptr(GPtrArray) ca = NULL;
  g_autofree char *label = NULL;
  g_autofree char *exported_path = NULL;
  g_autofree char *exported_pem = NULL;
  g_autoptr(GFile) exported = NULL;
  g_autoptr(GBytes) exported_data = NULL;
  g_autoptr(GPtrArray) exported_certificates = NULL;
  gsize exported_size;
  gboolean done = FALSE;
  const char *subject;
  gsize ca_size;
  CachetPreferencesWindow *preferences;
  GtkWidget *identity;
  gpointer page;
  GtkWidget *remove;

  if (pki == NULL)
    return;
  store_dir = g_build_filename (g_get_user_data_dir (), "preferences-certificates", NULL);
  certificates = cachet_certificate_store_new (store_dir);
  credentials = cachet_test_credentials_new ();
  account = dup_alice_account (pki);
  preferences = cachet_preferences_window_new (cachet_application_get_accounts (app),
                                               CACHET_CREDENTIALS_PROVIDER (credentials));
  cachet_preferences_window_add_certificates (preferences, certificates);
  gtk_window_present (GTK_WINDOW (preferences));
  page = find_widget (GTK_WIDGET (preferences), CACHET_TYPE_CERTIFICATES_PAGE);
  g_assert_nonnull (page);

  /* The account's identity is shown, and a smart card can be typed in. */
  identity = find_entry_with_text (page, pki->alice_p12);
  g_assert_nonnull (identity);
  gtk_editable_set_text (GTK_EDITABLE (identity), "pkcs11:token=CPS");
  g_signal_emit_by_name (identity, "apply");
  g_assert_cmpstr (cachet_account_get_smime_identity (account), ==, "pkcs11:token=CPS");
  gtk_editable_set_text (GTK_EDITABLE (identity), pki->alice_p12);
  g_signal_emit_by_name (identity, "apply");
  g_assert_cmpstr (cachet_account_get_smime_identity (account), ==, pki->alice_p12);

  /* Her certificate, and not her key, is saved for correspondents. */
  cachet_test_credentials_set (credentials, cachet_account_get_id (account), CACHET_SECRET_CERTIFICATE_PASSPHRASE,
                               SMIME_TEST_P12_PASSPHRASE);
  exported_path = g_build_filename (g_get_user_data_dir (), "alice.pem", NULL);
  exported = g_file_new_for_path (exported_path);
  cachet_certificates_page_export_certificate_async (page, account, exported, NULL, exported_cb, &done);
  cachet_test_iterate_until (is_true, &done, "the export to end");
  g_file_get_contents (exported_path, &exported_pem, &exported_size, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (exported_pem, "PRIVATE KEY"));
  exported_data = g_bytes_new_take (g_steal_pointer (&exported_pem), exported_size);
  exported_certificates = cachet_certificates_from_data (exported_data, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (exported_certificates->len, ==, 1);
  g_assert_true (cachet_certificate_has_email_address (g_ptr_array_index (exported_certificates, 0),
                                                       "alice@example.org"));

  correspondent = g_file_new_for_path (pki->alice_cert);
  cachet_certificates_page_import_file (page, correspondent);
  wait_listed (page, "correspondent_list", "alice@example.org", TRUE);

  /* Removing a correspondent's certificate asks first; cancelled, it stays. */
  remove = find_button_labelled (page, "Remove “alice@example.org”");
  g_assert_nonnull (remove);
  click_and_answer (remove, "cancel");
  kept = cachet_certificate_store_list_correspondents (certificates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 1);
  click_and_answer (remove, "remove");
  wait_listed (page, "correspondent_list", "alice@example.org", FALSE);
  left = cachet_certificate_store_list_correspondents (certificates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);

  /* An authority has no address: it is listed by its subject. */
  g_file_get_contents (pki->ca, &ca_pem, &ca_size, &error);
  g_assert_no_error (error);
  ca_data = g_bytes_new_take (g_steal_pointer (&ca_pem), ca_size);
  ca = cachet_certificates_from_data (ca_data, &error);
  g_assert_no_error (error);
  subject = cachet_certificate_get_subject (g_ptr_array_index (ca, 0));
  anchor = g_file_new_for_path (pki->ca);
  cachet_certificates_page_add_anchor_file (page, anchor);
  wait_listed (page, "anchor_list", subject, TRUE);

  label = g_strdup_printf ("Stop Trusting “%s”", subject);
  remove = find_button_labelled (page, label);
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  wait_listed (page, "anchor_list", subject, FALSE);
  anchors = cachet_certificate_store_list_anchors (certificates, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (anchors->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  cachet_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  cachet_mime_init ();
  app = cachet_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/gui/smime-composer/account-settings-saved", test_account_settings_saved);
  g_test_add_func ("/gui/smime-composer/no-identity", test_no_identity);
  g_test_add_func ("/gui/smime-composer/encrypt-needs-certificates", test_encrypt_needs_certificates);
  g_test_add_func ("/gui/smime-composer/sends-signed-and-encrypted", test_sends_signed_and_encrypted);
  g_test_add_func ("/gui/smime-composer/preferences-certificates", test_preferences_certificates);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
