/* cachet-security-banner.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gnutls/x509.h>

#include "cachet-security-banner.h"
#include "cachet-security-details-dialog.h"

/* The S/MIME verdict on the message in the reading pane. It is a widget of
 * the window, above the message view, so that nothing a message contains
 * can draw it or cover it (the UI redressing attack of "Johnny, You Are
 * Fired!"), and everything it says comes from the SecurityReport: the
 * verdict, the signer's certificate and the sender the engine checked it
 * against, never the message's own text. */

struct _CachetSecurityBanner
{
  GtkBox                parent_instance;

  CachetSecurityReport *report;

  /* Template widgets */
  GtkImage             *icon;
  GtkLabel             *label;
};

G_DEFINE_FINAL_TYPE (CachetSecurityBanner, cachet_security_banner, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The style classes the banner may carry, one per kind of verdict. */
static const char * const style_classes[] = { "success", "warning", "error" };

typedef struct
{
  const char *style_class;
  const char *icon_name;
} VerdictStyle;

static VerdictStyle
verdict_style (CachetSecurityVerdict verdict)
{
  switch (verdict)
    {
    case CACHET_SECURITY_VERDICT_VALID:
      return (VerdictStyle) { "success", "security-high-symbolic" };
    case CACHET_SECURITY_VERDICT_UNTRUSTED:
    case CACHET_SECURITY_VERDICT_OTHER_ADDRESS:
    case CACHET_SECURITY_VERDICT_PARTLY_SIGNED:
      return (VerdictStyle) { "warning", "security-medium-symbolic" };
    case CACHET_SECURITY_VERDICT_UNSUPPORTED:
      return (VerdictStyle) { "warning", "dialog-warning-symbolic" };
    case CACHET_SECURITY_VERDICT_NOT_SIGNED:
    case CACHET_SECURITY_VERDICT_INVALID:
    case CACHET_SECURITY_VERDICT_UNREADABLE:
    default:
      return (VerdictStyle) { "error", "security-low-symbolic" };
    }
}

/* A name from a certificate, as one line of plain text: control and format
 * characters (bidirectional overrides could reorder the address after it)
 * dropped, runs of spaces (which could push the address out of sight)
 * made one. */
static char *
sanitize_name (const char *name)
{
  g_autofree char *valid = g_utf8_make_valid (name, -1);
  g_autoptr(GString) clean = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_isspace (c) || type == G_UNICODE_SPACE_SEPARATOR)
        {
          space = clean->len > 0;
          continue;
        }
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT)
        continue;
      if (space)
        g_string_append_c (clean, ' ');
      space = FALSE;
      g_string_append_unichar (clean, c);
    }

  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* The certificate's common name, or %NULL; also when it is longer than
 * any real name, which then leaves the address alone on the banner. */
static char *
dup_common_name (CachetCertificate *certificate)
{
  gnutls_x509_crt_t crt = cachet_certificate_to_crt (certificate);
  char name[256];
  size_t size = sizeof name;
  int status;

  if (crt == NULL)
    return NULL;
  status = gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, name, &size);
  gnutls_x509_crt_deinit (crt);
  if (status < 0)
    return NULL;
  return sanitize_name (name);
}

/* Who signed, as the banner names them. Only a valid signature has a
 * certificate vouched for by an authority the user trusts, and a signer
 * the engine matched with the sender: then the name and that address show.
 * Otherwise the certificate's addresses alone, which are what the engine
 * compared with the sender; a name anyone may put in a certificate of
 * their own would only lend it credit. */
static char *
describe_signer (CachetSecurityReport *report)
{
  CachetCertificate *signer = cachet_security_report_get_signer (report);
  const char *sender = cachet_security_report_get_sender (report);
  g_autofree char *name = NULL;

  if (signer == NULL)
    return NULL;
  if (cachet_security_report_get_verdict (report) != CACHET_SECURITY_VERDICT_VALID || sender == NULL)
    {
      const char * const *addresses = cachet_certificate_get_email_addresses (signer);

      return addresses[0] != NULL ? g_strjoinv (", ", (GStrv) addresses) : NULL;
    }

  name = dup_common_name (signer);
  if (name == NULL || *name == '\0' || g_ascii_strcasecmp (name, sender) == 0)
    return g_strdup (sender);
  /* A mailbox as mail headers write it, the same in every language. */
  return g_strdup_printf ("%s <%s>", name, sender);
}

/* What the banner says: for a valid signature, who signed; otherwise the
 * verdict, then the signer when there is one. */
static char *
describe_report (CachetSecurityReport *report)
{
  CachetSecurityVerdict verdict = cachet_security_report_get_verdict (report);
  g_autofree char *signer = describe_signer (report);

  if (signer == NULL)
    return g_strdup (cachet_security_verdict_describe (verdict));
  if (verdict == CACHET_SECURITY_VERDICT_VALID)
    /* Translators: the security banner of a validly signed message; %s is
     * the signer, “Name <address>”. */
    return g_strdup_printf (_("Signed by %s"), signer);
  /* Translators: the security banner of a message whose signature does not
   * hold up; the first %s is the verdict, such as “Invalid signature”, the
   * second the signer’s e-mail addresses. */
  return g_strdup_printf (_("%s — signer: %s"), cachet_security_verdict_describe (verdict), signer);
}

/**
 * cachet_security_banner_new:
 *
 * Returns: (transfer floating): a banner showing nothing yet
 */
CachetSecurityBanner *
cachet_security_banner_new (void)
{
  return g_object_new (CACHET_TYPE_SECURITY_BANNER, NULL);
}

/**
 * cachet_security_banner_get_report:
 *
 * Returns: (transfer none) (nullable): the report shown
 */
CachetSecurityReport *
cachet_security_banner_get_report (CachetSecurityBanner *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_BANNER (self), NULL);
  return self->report;
}

/**
 * cachet_security_banner_set_report:
 * @report: (nullable): the verdict on the message shown, or %NULL while
 *   there is none (no message, or its signature being checked)
 *
 * The banner hides itself without a report and for unsigned mail, which is
 * most mail: a banner on every message would teach users to ignore it.
 */
void
cachet_security_banner_set_report (CachetSecurityBanner *self,
                                   CachetSecurityReport *report)
{
  CachetSecurityVerdict verdict;
  VerdictStyle style;
  g_autofree char *text = NULL;

  g_return_if_fail (CACHET_IS_SECURITY_BANNER (self));
  g_return_if_fail (report == NULL || CACHET_IS_SECURITY_REPORT (report));

  if (!g_set_object (&self->report, report))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (style_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), style_classes[i]);
  verdict = report != NULL ? cachet_security_report_get_verdict (report) : CACHET_SECURITY_VERDICT_NOT_SIGNED;
  gtk_widget_set_visible (GTK_WIDGET (self), verdict != CACHET_SECURITY_VERDICT_NOT_SIGNED);

  if (verdict == CACHET_SECURITY_VERDICT_NOT_SIGNED)
    {
      gtk_label_set_text (self->label, "");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  else
    {
      style = verdict_style (verdict);
      text = describe_report (report);
      gtk_widget_add_css_class (GTK_WIDGET (self), style.style_class);
      gtk_image_set_from_icon_name (self->icon, style.icon_name);
      gtk_label_set_text (self->label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                      -1);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
details_clicked_cb (CachetSecurityBanner *self)
{
  CachetSecurityDetailsDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->report == NULL)
    return;
  dialog = cachet_security_details_dialog_new (self->report);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cachet_security_banner_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CachetSecurityBanner *self = CACHET_SECURITY_BANNER (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_security_banner_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CachetSecurityBanner *self = CACHET_SECURITY_BANNER (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      cachet_security_banner_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cachet_security_banner_dispose (GObject *object)
{
  CachetSecurityBanner *self = CACHET_SECURITY_BANNER (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), CACHET_TYPE_SECURITY_BANNER);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (cachet_security_banner_parent_class)->dispose (object);
}

static void
cachet_security_banner_class_init (CachetSecurityBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cachet_security_banner_get_property;
  object_class->set_property = cachet_security_banner_set_property;
  object_class->dispose = cachet_security_banner_dispose;

  /**
   * CachetSecurityBanner:report:
   *
   * The verdict on the message shown; %NULL hides the banner.
   */
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, CACHET_TYPE_SECURITY_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/cachet-security-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, CachetSecurityBanner, label);
  gtk_widget_class_bind_template_callback (widget_class, details_clicked_cb);
  /* Screen readers announce a status when it changes, as a new message's
   * verdict arrives. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_css_name (widget_class, "securitybanner");
}

static void
cachet_security_banner_init (CachetSecurityBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
