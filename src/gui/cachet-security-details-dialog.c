/* cachet-security-details-dialog.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/x509.h>

#include "cachet-security-details-dialog.h"

/* Everything the SecurityReport knows about a message's signature, for the
 * user who wants to know why the banner says what it says: the verdict and
 * each of its reasons, the signer's certificate, the certification path
 * from it to the authority trusted (or as far as it went), the signing time
 * and the sender it was checked against. Like the banner, it shows the
 * report and nothing of the message. */

struct _CachetSecurityDetailsDialog
{
  AdwWindow             parent_instance;

  CachetSecurityReport *report;

  /* Template widgets */
  AdwPreferencesGroup  *verdict_group;
  AdwPreferencesGroup  *reasons_group;
  AdwPreferencesGroup  *signer_group;
  AdwPreferencesGroup  *chain_group;
  AdwPreferencesGroup  *signature_group;
};

G_DEFINE_FINAL_TYPE (CachetSecurityDetailsDialog, cachet_security_details_dialog, ADW_TYPE_WINDOW)

/* A row of plain text: certificate names and reasons may hold '<' or '&',
 * which are not markup. */
static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (value != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_preferences_group_add (group, row);
  return row;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* Translators: the date and time of a message, in the format of
   * g_date_time_format(); in French "%A %-d %B %Y à %H:%M". */
  return local != NULL ? g_date_time_format (local, _("%A %-d %B %Y at %H:%M")) : NULL;
}

/* Hexadecimal as certificate viewers print serial numbers and fingerprints:
 * upper-case pairs joined by colons. */
static char *
group_hex (const char *hex)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (gsize i = 0; hex[i] != '\0'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (text, ':');
      g_string_append_c (text, g_ascii_toupper (hex[i]));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
dup_serial (CachetCertificate *certificate)
{
  gnutls_x509_crt_t crt = cachet_certificate_to_crt (certificate);
  g_autoptr(GString) hex = g_string_new (NULL);
  guint8 serial[64];
  size_t size = sizeof serial;
  int status;

  if (crt == NULL)
    return NULL;
  status = gnutls_x509_crt_get_serial (crt, serial, &size);
  gnutls_x509_crt_deinit (crt);
  if (status < 0)
    return NULL;
  for (size_t i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", serial[i]);
  return group_hex (hex->str);
}

static void
show_signer (CachetSecurityDetailsDialog *self,
             CachetCertificate           *signer)
{
  const char * const *addresses = cachet_certificate_get_email_addresses (signer);
  g_autofree char *joined = g_strjoinv (", ", (GStrv) addresses);
  g_autofree char *serial = dup_serial (signer);
  g_autofree char *fingerprint = group_hex (cachet_certificate_get_fingerprint (signer));
  g_autofree char *not_before = format_time (cachet_certificate_get_not_before (signer));
  g_autofree char *not_after = format_time (cachet_certificate_get_not_after (signer));

  /* Translators: whom a certificate was issued to, as X.509 names it; not
   * the subject of a message. */
  add_row (self->signer_group, C_("certificate", "Subject"), cachet_certificate_get_subject (signer));
  add_row (self->signer_group, _("E-mail Addresses"), *joined != '\0' ? joined : _("None"));
  /* Translators: the authority that issued the signer's certificate. */
  add_row (self->signer_group, _("Issued By"), cachet_certificate_get_issuer (signer));
  if (serial != NULL)
    add_row (self->signer_group, _("Serial Number"), serial);
  add_row (self->signer_group, _("SHA-256 Fingerprint"), fingerprint);
  /* Translators: the first day a certificate may be used. */
  add_row (self->signer_group, _("Valid From"), not_before);
  /* Translators: the day a certificate expires. */
  add_row (self->signer_group, _("Valid Until"), not_after);
}

static char *
format_day (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return local != NULL ? g_date_time_format (local, "%x") : NULL;
}

/* What a certificate is in the path: the signer's, an authority between,
 * or the anchor the user trusts (the signer's own when trusted directly). */
static const char *
describe_link (guint    position,
               gboolean is_anchor)
{
  if (is_anchor)
    return position == 0 ? _("Signer’s certificate, trusted directly") : _("Trust anchor: an authority you trust");
  return position == 0 ? _("Signer’s certificate") : _("Issuing authority");
}

/* One row per certificate, signer first, each saying who issued it and
 * when it is valid: what a user compares with what the correspondent's
 * authority publishes. */
static void
show_chain (CachetSecurityDetailsDialog *self,
            GListModel                  *chain,
            gboolean                     anchored)
{
  guint n_items = g_list_model_get_n_items (chain);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CachetCertificate) certificate = g_list_model_get_item (chain, i);
      gboolean is_anchor = anchored && i + 1 == n_items;
      g_autofree char *not_before = format_day (cachet_certificate_get_not_before (certificate));
      g_autofree char *not_after = format_day (cachet_certificate_get_not_after (certificate));
      g_autofree char *details = NULL;
      GtkWidget *row;

      /* Translators: the role of a certificate in the path (“Issuing
       * authority”), the authority that issued it, and the first and last
       * days it may be used, one a line. */
      details = g_strdup_printf (_("%s\nIssued by %s\nValid from %s to %s"), describe_link (i, is_anchor),
                                 cachet_certificate_get_issuer (certificate), not_before, not_after);
      row = add_row (self->chain_group, cachet_certificate_get_subject (certificate), details);
      if (is_anchor)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("security-high-symbolic");

          /* The subtitle says it in words; the icon only repeats it. */
          gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
        }
    }

  adw_preferences_group_set_description (self->chain_group,
                                         anchored ? _("From the signer’s certificate to an authority you trust.")
                                                  : _("This path does not lead to an authority you trust: it "
                                                      "ends with the last certificate the signature carried."));
  gtk_widget_set_visible (GTK_WIDGET (self->chain_group), n_items > 0);
}

static void
show_report (CachetSecurityDetailsDialog *self)
{
  CachetSecurityReport *report = self->report;
  CachetCertificate *signer = cachet_security_report_get_signer (report);
  GDateTime *signing_time = cachet_security_report_get_signing_time (report);
  const char *sender = cachet_security_report_get_sender (report);
  guint n_reasons = cachet_security_report_get_n_reasons (report);

  add_row (self->verdict_group,
           cachet_security_verdict_describe (cachet_security_report_get_verdict (report)), NULL);

  for (guint i = 0; i < n_reasons; i++)
    add_row (self->reasons_group, cachet_security_report_get_reason_text (report, i), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reasons_group), n_reasons > 0);

  if (signer != NULL)
    show_signer (self, signer);
  gtk_widget_set_visible (GTK_WIDGET (self->signer_group), signer != NULL);

  show_chain (self, cachet_security_report_get_chain (report), cachet_security_report_is_anchored (report));

  if (signing_time != NULL)
    {
      g_autofree char *time = format_time (signing_time);

      add_row (self->signature_group, _("Signing Time"), time);
    }
  if (sender != NULL)
    /* Translators: the single From address of the message, which the
     * signer's certificate was compared with. */
    add_row (self->signature_group, _("Sender"), sender);
  gtk_widget_set_visible (GTK_WIDGET (self->signature_group), signing_time != NULL || sender != NULL);
}

/**
 * cachet_security_details_dialog_new:
 * @report: the report to show
 *
 * Returns: (transfer full): a dialog, to present
 */
CachetSecurityDetailsDialog *
cachet_security_details_dialog_new (CachetSecurityReport *report)
{
  CachetSecurityDetailsDialog *self;

  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (report), NULL);

  self = g_object_new (CACHET_TYPE_SECURITY_DETAILS_DIALOG, NULL);
  self->report = g_object_ref (report);
  show_report (self);

  return self;
}

static void
cachet_security_details_dialog_dispose (GObject *object)
{
  CachetSecurityDetailsDialog *self = CACHET_SECURITY_DETAILS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_SECURITY_DETAILS_DIALOG);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (cachet_security_details_dialog_parent_class)->dispose (object);
}

static void
cachet_security_details_dialog_class_init (CachetSecurityDetailsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cachet_security_details_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/cachet-security-details-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityDetailsDialog, verdict_group);
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityDetailsDialog, reasons_group);
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityDetailsDialog, signer_group);
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityDetailsDialog, chain_group);
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityDetailsDialog, signature_group);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cachet_security_details_dialog_init (CachetSecurityDetailsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
