/* test-security-banner.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The S/MIME security banner and its details dialog on a real display
 * (Xvfb): what each verdict looks like and says, and, in the main window,
 * that a signed message stored in an account gets the banner of a valid
 * signature while unsigned mail gets none, even when its HTML draws one.
 */

#include "config.h"

#include "cachet-mime.h"
#include "cachet-security-banner.h"
#include "cachet-security-details-dialog.h"
#include "cachet-smime.h"
#include "cachet-test-utils.h"
#include "cachet-test-widgets.h"
#include "smime-test-pki.h"

#define UIDVALIDITY 7
#define SIGNED_UID 1
#define UNSIGNED_UID 2
#define FAKE_BANNER_UID 3

/* alice@example.org's certificate, issued by the test PKI. */
static CachetCertificate *
load_alice (const SmimeTestPki *pki)
{
  return smime_test_load_certificate (pki->alice_cert);
}

/* Whether @widget carries @style_class (%NULL: none) and no other verdict
 * style. */
static gboolean
has_only_style (GtkWidget  *widget,
                const char *style_class)
{
  static const char * const styles[] = { "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      if (gtk_widget_has_css_class (widget, styles[i]) != (g_strcmp0 (styles[i], style_class) == 0))
        return FALSE;
    }
  return TRUE;
}

static const char *
banner_text (CachetSecurityBanner *banner)
{
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (banner),
                                                                       CACHET_TYPE_SECURITY_BANNER, "label")));
}

static const char *
banner_icon (CachetSecurityBanner *banner)
{
  return gtk_image_get_icon_name (GTK_IMAGE (gtk_widget_get_template_child (GTK_WIDGET (banner),
                                                                            CACHET_TYPE_SECURITY_BANNER, "icon")));
}

static void
test_banner_verdicts (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  static const struct
  {
    gboolean              is_signed;
    int                   reason;
    CachetSecurityVerdict verdict;
    const char           *style;
    const char           *icon;
    const char           *text;
  } cases[] = {
    { TRUE, -1, CACHET_SECURITY_VERDICT_VALID, "success", "security-high-symbolic",
      "Signed by alice <alice@example.org>" },
    { TRUE, CACHET_SECURITY_REASON_UNTRUSTED, CACHET_SECURITY_VERDICT_UNTRUSTED, "warning", "security-medium-symbolic",
      "Signed, but by an untrusted certificate — signer: alice@example.org" },
    { TRUE, CACHET_SECURITY_REASON_ADDRESS_MISMATCH, CACHET_SECURITY_VERDICT_OTHER_ADDRESS, "warning",
      "security-medium-symbolic", "Signed, but not by the sender — signer: alice@example.org" },
    { FALSE, CACHET_SECURITY_REASON_PARTLY_SIGNED, CACHET_SECURITY_VERDICT_PARTLY_SIGNED, "warning",
      "security-medium-symbolic", "Only partly signed" },
    { FALSE, CACHET_SECURITY_REASON_ENCRYPTED, CACHET_SECURITY_VERDICT_UNSUPPORTED, "warning",
      "dialog-warning-symbolic", "Protection not supported" },
    { TRUE, CACHET_SECURITY_REASON_BAD_SIGNATURE, CACHET_SECURITY_VERDICT_INVALID, "error", "security-low-symbolic",
      "Invalid signature — signer: alice@example.org" },
    { FALSE, CACHET_SECURITY_REASON_UNREADABLE, CACHET_SECURITY_VERDICT_UNREADABLE, "error", "security-low-symbolic",
      "Cannot read the signature" },
  };
  g_autoptr(CachetCertificate) alice = NULL;
  g_autoptr(CachetSecurityReport) unsigned_report = cachet_security_report_new ();
  CachetSecurityBanner *banner = g_object_ref_sink (cachet_security_banner_new ());
  GtkWidget *details_button = gtk_widget_get_last_child (GTK_WIDGET (banner));

  if (pki == NULL)
    return;
  alice = load_alice (pki);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_PROPERTY_LABEL, "Message Security");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (details_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Security Details");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  /* One banner through every verdict, as the user goes from message to
   * message: each leaves nothing of its style to the next. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CachetSecurityReport) report = cachet_security_report_new ();

      cachet_security_report_set_signed (report, cases[i].is_signed);
      if (cases[i].reason >= 0)
        cachet_security_report_add_reason (report, (CachetSecurityReason) cases[i].reason, NULL);
      if (cases[i].is_signed)
        {
          cachet_security_report_set_signer (report, alice);
          cachet_security_report_set_sender (report, cases[i].reason == CACHET_SECURITY_REASON_ADDRESS_MISMATCH
                                                       ? "boss@example.org" : "alice@example.org");
        }
      g_assert_cmpint (cachet_security_report_get_verdict (report), ==, cases[i].verdict);

      cachet_security_banner_set_report (banner, report);
      g_assert_true (cachet_security_banner_get_report (banner) == report);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
      g_assert_cmpstr (banner_text (banner), ==, cases[i].text);
      g_assert_cmpstr (banner_icon (banner), ==, cases[i].icon);
      g_assert_true (has_only_style (GTK_WIDGET (banner), cases[i].style));
      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (banner), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                           cases[i].text);
    }

  /* Unsigned mail, the most common, and a message being checked show
   * nothing. */
  cachet_security_banner_set_report (banner, unsigned_report);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_true (has_only_style (GTK_WIDGET (banner), NULL));
  cachet_security_banner_set_report (banner, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  g_object_unref (banner);
}

/* The name a certificate gives may not push the address out of sight nor
 * reorder it: spaces are made one, format characters dropped. */
static void
test_banner_sanitizes_name (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;
  g_autoptr(CachetCertificate) spaced = NULL;
  g_autoptr(CachetSecurityReport) report = cachet_security_report_new ();
  CachetSecurityBanner *banner = g_object_ref_sink (cachet_security_banner_new ());

  if (pki == NULL)
    return;
  key = g_build_filename (pki->dir, "spaced.key", NULL);
  cert = g_build_filename (pki->dir, "spaced.pem", NULL);
  /* A right-to-left override (U+202E) and a run of spaces in the name. */
  smime_test_run ("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                  "-days", "30", "-utf8", "-subj", "/CN=Alice\xe2\x80\xae     Martin",
                  "-addext", "subjectAltName=email:alice@example.org", NULL);
  spaced = smime_test_load_certificate (cert);

  cachet_security_report_set_signed (report, TRUE);
  cachet_security_report_set_signer (report, spaced);
  cachet_security_report_set_sender (report, "alice@example.org");
  cachet_security_banner_set_report (banner, report);
  g_assert_cmpstr (banner_text (banner), ==, "Signed by Alice Martin <alice@example.org>");

  g_object_unref (banner);
}

/* The titles and subtitles of every row under @widget, one a line. */
static void
collect_rows (GtkWidget *widget,
              GString   *text)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_visible (gtk_widget_get_parent (widget)))
    g_string_append_printf (text, "%s: %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL
                              ? adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, text);
}

/* "Details" lists every reason, the signer's certificate, the signing time
 * and the sender. */
static void
test_details_dialog (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  g_autoptr(CachetCertificate) alice = NULL;
  g_autoptr(CachetSecurityReport) report = cachet_security_report_new ();
  g_autoptr(GDateTime) signing_time = g_date_time_new_utc (2026, 1, 15, 9, 30, 0);
  g_autoptr(GString) rows = g_string_new (NULL);
  GtkWidget *window;
  CachetSecurityBanner *banner;
  CachetSecurityDetailsDialog *dialog;
  const char *fingerprint;
  g_autofree char *fingerprint_row = NULL;

  if (pki == NULL)
    return;
  alice = load_alice (pki);
  window = gtk_window_new ();
  banner = cachet_security_banner_new ();
  cachet_security_report_set_signed (report, TRUE);
  cachet_security_report_set_signer (report, alice);
  cachet_security_report_set_sender (report, "alice@example.org");
  cachet_security_report_set_signing_time (report, signing_time);
  cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_BAD_SIGNATURE, NULL);
  cachet_security_report_add_reason (report, CACHET_SECURITY_REASON_EXPIRED, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (banner));
  cachet_security_banner_set_report (banner, report);
  gtk_window_present (GTK_WINDOW (window));
  cachet_test_iterate ();

  g_assert_null (cachet_test_find_toplevel (CACHET_TYPE_SECURITY_DETAILS_DIALOG));
  g_signal_emit_by_name (gtk_widget_get_last_child (GTK_WIDGET (banner)), "clicked");
  dialog = cachet_test_find_toplevel (CACHET_TYPE_SECURITY_DETAILS_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  collect_rows (GTK_WIDGET (dialog), rows);
  g_assert_nonnull (strstr (rows->str, "Invalid signature: \n"));
  for (guint i = 0; i < cachet_security_report_get_n_reasons (report); i++)
    {
      g_autofree char *row = g_strdup_printf ("%s: \n", cachet_security_report_get_reason_text (report, i));

      g_assert_nonnull (strstr (rows->str, row));
    }
  g_assert_nonnull (strstr (rows->str, "Subject: CN=alice\n"));
  g_assert_nonnull (strstr (rows->str, "E-mail Addresses: alice@example.org\n"));
  g_assert_nonnull (strstr (rows->str, "Issued By: CN=Cachet Test Intermediate CA\n"));
  g_assert_true (g_regex_match_simple ("^Serial Number: [0-9A-F]{2}(:[0-9A-F]{2})*$", rows->str,
                                       G_REGEX_MULTILINE, 0));
  fingerprint = cachet_certificate_get_fingerprint (alice);
  fingerprint_row = g_strdup_printf ("SHA-256 Fingerprint: %c%c:%c%c:", g_ascii_toupper (fingerprint[0]),
                                     g_ascii_toupper (fingerprint[1]), g_ascii_toupper (fingerprint[2]),
                                     g_ascii_toupper (fingerprint[3]));
  g_assert_nonnull (strstr (rows->str, fingerprint_row));
  g_assert_true (g_regex_match_simple ("^SHA-256 Fingerprint: [0-9A-F]{2}(:[0-9A-F]{2}){31}$", rows->str,
                                       G_REGEX_MULTILINE, 0));
  g_assert_nonnull (strstr (rows->str, "Valid From: "));
  g_assert_nonnull (strstr (rows->str, "Valid Until: "));
  g_assert_nonnull (strstr (rows->str, "Signing Time: Thursday 15 January 2026 at "));
  g_assert_nonnull (strstr (rows->str, "Sender: alice@example.org\n"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  cachet_test_iterate ();
}

/* A message from alice@example.org, signed by her with OpenSSL. */
static char *
alice_signed_mail (const SmimeTestPki *pki)
{
  const char * const argv[] = { "openssl", "smime", "-sign", "-signer", pki->alice_cert, "-inkey", pki->alice_key,
                                "-certfile", pki->intermediate, "-md", "sha256", NULL };
  g_autofree char *signed_body = NULL;
  gboolean success;

  signed_body = smime_test_run_output (argv, "Content-Type: text/plain; charset=utf-8\n\nBonjour Bob.\n", &success);
  g_assert_true (success);
  return g_strdup_printf ("From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: Signed\n"
                          "Date: Thu, 15 Jan 2026 10:31:00 +0100\n%s", signed_body);
}

static void
store_mail (const SmimeTestPki *pki)
{
  g_autoptr(CachetCertificateStore) certificates = cachet_certificate_store_new (NULL);
  G_GNUC_UNUSED g_autoptr(GPtrArray) anchors = NULL;
  g_autoptr(CachetStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const CachetFolderInfo inbox = { .name = (char *) "INBOX", .uidvalidity = UIDVALIDITY };
  g_autofree char *signed_mail = alice_signed_mail (pki);
  const char *mails[] = {
    [SIGNED_UID] = signed_mail,
    [UNSIGNED_UID] = "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: Unsigned\n"
                     "Date: Thu, 15 Jan 2026 10:32:00 +0100\n\nBonjour Bob.\n",
    /* "Johnny, You Are Fired!" U1: the body draws what a client's own
     * indicator might look like. */
    [FAKE_BANNER_UID] = "From: Manager <manager@example.org>\nTo: bob@example.org\nSubject: Fired\n"
                        "Date: Thu, 15 Jan 2026 10:33:00 +0100\nMIME-Version: 1.0\n"
                        "Content-Type: text/html; charset=utf-8\n\n"
                        "<div style=\"background:#e6f4ea;padding:6px\">&#x2714; Signed by Manager "
                        "&lt;manager@example.org&gt; <button>Details</button></div><p>You are fired.</p>\n",
  };

  anchors = cachet_certificate_store_trust_file (certificates, pki->ca, &error);
  g_assert_no_error (error);
  store = cachet_test_add_account ("Cabinet Martin", "bob@example.org", NULL);
  g_assert_true (cachet_store_upsert_folder (store, &inbox, &error));

  for (guint uid = SIGNED_UID; uid <= FAKE_BANNER_UID; uid++)
    {
      g_autoptr(GBytes) raw = g_bytes_new (mails[uid], strlen (mails[uid]));
      G_GNUC_UNUSED g_autoptr(CachetMessageInfo) info =
        cachet_store_add_message (store, "INBOX", UIDVALIDITY, uid, raw, CACHET_MESSAGE_FLAG_SEEN, NULL,
                                  1768469400 + uid * 60, 0, NULL, &error);

      g_assert_no_error (error);
    }
}

/* The report on Alice's signed mail, with the test root trusted or not. */
static CachetSecurityReport *
verify_alice_mail (const SmimeTestPki *pki,
                   gboolean            trust_root)
{
  g_autofree char *mail = alice_signed_mail (pki);
  g_autoptr(GBytes) raw = g_bytes_new (mail, strlen (mail));
  g_autofree char *directory = g_dir_make_tmp ("details-store-XXXXXX", NULL);
  g_autoptr(CachetCertificateStore) store = cachet_certificate_store_new (directory);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  CachetSecurityReport *report;

  cachet_certificate_store_set_use_system_anchors (store, FALSE);
  if (trust_root)
    {
      G_GNUC_UNUSED g_autoptr(GPtrArray) anchors = cachet_certificate_store_trust_file (store, pki->ca, &error);

      g_assert_no_error (error);
    }
  message = cachet_mime_parse_message (raw, &error);
  g_assert_no_error (error);
  report = cachet_smime_verify_message (message, store, &error);
  g_assert_no_error (error);
  return report;
}

/* The row of the chain group for @certificate: its subject, its role, its
 * issuer and its validity, one a line. */
static char *
chain_row (const char *path,
           const char *role)
{
  g_autoptr(CachetCertificate) certificate = smime_test_load_certificate (path);
  g_autoptr(GDateTime) not_before = g_date_time_to_local (cachet_certificate_get_not_before (certificate));
  g_autoptr(GDateTime) not_after = g_date_time_to_local (cachet_certificate_get_not_after (certificate));
  g_autofree char *from = g_date_time_format (not_before, "%x");
  g_autofree char *to = g_date_time_format (not_after, "%x");

  return g_strdup_printf ("%s: %s\nIssued by %s\nValid from %s to %s\n", cachet_certificate_get_subject (certificate),
                          role, cachet_certificate_get_issuer (certificate), from, to);
}

static AdwPreferencesGroup *
chain_group_of (CachetSecurityDetailsDialog *dialog)
{
  return ADW_PREFERENCES_GROUP (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                               CACHET_TYPE_SECURITY_DETAILS_DIALOG, "chain_group"));
}

/* "Details" lists the certification path verification built, signer first,
 * and says whether it ends at an authority the user trusts. */
static void
test_details_chain (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  g_autoptr(CachetSecurityReport) trusted = NULL;
  g_autoptr(CachetSecurityReport) untrusted = NULL;
  g_autoptr(GString) trusted_rows = g_string_new (NULL);
  g_autoptr(GString) untrusted_rows = g_string_new (NULL);
  g_autofree char *signer = NULL;
  g_autofree char *intermediate = NULL;
  g_autofree char *root = NULL;
  CachetSecurityDetailsDialog *dialog;
  AdwPreferencesGroup *chain_group;
  const char *at_signer;
  const char *at_intermediate;

  if (pki == NULL)
    return;
  signer = chain_row (pki->alice_cert, "Signer’s certificate");
  intermediate = chain_row (pki->intermediate, "Issuing authority");
  root = chain_row (pki->ca, "Trust anchor: an authority you trust");

  trusted = verify_alice_mail (pki, TRUE);
  g_assert_cmpint (cachet_security_report_get_verdict (trusted), ==, CACHET_SECURITY_VERDICT_VALID);
  dialog = cachet_security_details_dialog_new (trusted);
  chain_group = chain_group_of (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chain_group)));
  g_assert_cmpstr (adw_preferences_group_get_title (chain_group), ==, "Certification Path");
  g_assert_cmpstr (adw_preferences_group_get_description (chain_group), ==,
                   "From the signer’s certificate to an authority you trust.");
  collect_rows (GTK_WIDGET (chain_group), trusted_rows);
  at_signer = strstr (trusted_rows->str, signer);
  at_intermediate = strstr (trusted_rows->str, intermediate);
  g_assert_nonnull (at_signer);
  g_assert_nonnull (at_intermediate);
  g_assert_true (at_signer == trusted_rows->str);
  g_assert_true (at_intermediate == at_signer + strlen (signer));
  g_assert_cmpstr (at_intermediate + strlen (intermediate), ==, root);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Without the root trusted, the path ends with the intermediate the
   * signature carries, and says so. */
  untrusted = verify_alice_mail (pki, FALSE);
  g_assert_cmpint (cachet_security_report_get_verdict (untrusted), ==, CACHET_SECURITY_VERDICT_UNTRUSTED);
  dialog = cachet_security_details_dialog_new (untrusted);
  chain_group = chain_group_of (dialog);
  g_assert_nonnull (strstr (adw_preferences_group_get_description (chain_group),
                            "does not lead to an authority you trust"));
  collect_rows (GTK_WIDGET (chain_group), untrusted_rows);
  g_assert_true (g_str_has_prefix (untrusted_rows->str, signer));
  g_assert_cmpstr (untrusted_rows->str + strlen (signer), ==, intermediate);
  gtk_window_destroy (GTK_WINDOW (dialog));
  cachet_test_iterate ();
}

static gboolean
has_report (gpointer banner)
{
  return cachet_security_banner_get_report (banner) != NULL;
}

/* Opens the message of @uid and waits until its signature is checked:
 * the banner then holds its report, shown or not. */
static void
open_message (CachetWindow *window,
              guint32       uid)
{
  GtkSelectionModel *messages = gtk_list_view_get_model (cachet_test_window_child (window, "message_list"));
  CachetSecurityBanner *banner = cachet_test_window_child (window, "security_banner");

  gtk_selection_model_select_item (messages, cachet_test_message_position (messages, uid), TRUE);
  /* The last message's verdict is gone before the new one is known. */
  g_assert_null (cachet_security_banner_get_report (banner));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  cachet_test_iterate_until (has_report, banner, "the signature to be checked");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "reading_stack")), ==,
                   "message");
}

static void
test_window_banner (void)
{
  const SmimeTestPki *pki = smime_test_pki_get ();
  g_autoptr(CachetApplication) app = NULL;
  CachetWindow *window;
  CachetSecurityBanner *banner;
  GtkWidget *reading_pane;

  if (pki == NULL)
    return;
  store_mail (pki);

  app = cachet_application_new ();
  window = cachet_test_show_window (app);
  cachet_test_iterate ();

  /* The banner belongs to the window, between the reading pane's header
   * bar and the message, never inside the message view. */
  banner = cachet_test_window_child (window, "security_banner");
  reading_pane = gtk_widget_get_parent (GTK_WIDGET (banner));
  g_assert_true (gtk_widget_get_next_sibling (GTK_WIDGET (banner)) ==
                 cachet_test_window_child (window, "reading_stack"));
  g_assert_true (ADW_IS_HEADER_BAR (gtk_widget_get_prev_sibling (GTK_WIDGET (banner))));
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (banner), cachet_test_window_child (window, "message_view")));
  g_assert_true (GTK_IS_BOX (reading_pane));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  open_message (window, SIGNED_UID);
  g_assert_cmpint (cachet_security_report_get_verdict (cachet_security_banner_get_report (banner)), ==,
                   CACHET_SECURITY_VERDICT_VALID);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (banner), "success"));
  g_assert_cmpstr (banner_text (banner), ==, "Signed by alice <alice@example.org>");

  open_message (window, UNSIGNED_UID);
  g_assert_cmpint (cachet_security_report_get_verdict (cachet_security_banner_get_report (banner)), ==,
                   CACHET_SECURITY_VERDICT_NOT_SIGNED);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  open_message (window, FAKE_BANNER_UID);
  g_assert_cmpint (cachet_security_report_get_verdict (cachet_security_banner_get_report (banner)), ==,
                   CACHET_SECURITY_VERDICT_NOT_SIGNED);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_null (strstr (banner_text (banner), "Manager"));

  /* No message, no banner. */
  open_message (window, SIGNED_UID);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  gtk_selection_model_unselect_all (gtk_list_view_get_model (cachet_test_window_child (window, "message_list")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cachet_test_window_child (window, "reading_stack")), ==,
                   "none");

  gtk_window_destroy (GTK_WINDOW (window));
  cachet_test_iterate ();
}

int
main (int    argc,
      char **argv)
{
  /* The tests read the accessible role and properties back, which only
   * GTK's test accessibility backend keeps. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  cachet_test_init_gui (&argc, &argv);

  g_test_add_func ("/gui/security-banner/verdicts", test_banner_verdicts);
  g_test_add_func ("/gui/security-banner/sanitizes-name", test_banner_sanitizes_name);
  g_test_add_func ("/gui/security-banner/details-dialog", test_details_dialog);
  g_test_add_func ("/gui/security-banner/details-chain", test_details_chain);
  g_test_add_func ("/gui/security-banner/window", test_window_banner);

  return g_test_run ();
}
