/* cachet-security-report.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cachet-security-report.h"

/* The verdict on one message, with every reason behind it. The verdict is
 * derived from the reasons rather than set, so that no code path can add a
 * problem and still leave a message looking validly signed. */

typedef struct
{
  const char            *code;
  CachetSecurityVerdict  verdict;
  const char            *text;
} ReasonInfo;

/* Indexed by CachetSecurityReason. */
static const ReasonInfo reasons[] = {
  { "unreadable", CACHET_SECURITY_VERDICT_UNREADABLE,
    N_("The signature cannot be read.") },
  { "no-signer", CACHET_SECURITY_VERDICT_INVALID,
    N_("The signature names no signer.") },
  { "multiple-signers", CACHET_SECURITY_VERDICT_UNSUPPORTED,
    N_("The message has several signers; Cachet only checks messages with one signer.") },
  { "embedded-content", CACHET_SECURITY_VERDICT_INVALID,
    N_("The signature carries a text of its own that differs from the displayed message.") },
  { "no-content", CACHET_SECURITY_VERDICT_INVALID,
    N_("The signature contains no message.") },
  { "bad-signature", CACHET_SECURITY_VERDICT_INVALID,
    N_("The message was changed after it was signed, or the signature is forged.") },
  { "bad-signed-attributes", CACHET_SECURITY_VERDICT_INVALID,
    N_("The signed attributes of the signature are malformed.") },
  { "insecure-algorithm", CACHET_SECURITY_VERDICT_INVALID,
    N_("The signature uses an algorithm that is no longer secure.") },
  { "signer-unknown", CACHET_SECURITY_VERDICT_INVALID,
    N_("The signature does not include the signer’s certificate.") },
  { "signer-ambiguous", CACHET_SECURITY_VERDICT_INVALID,
    N_("Two different certificates claim to be the signer’s.") },
  { "untrusted", CACHET_SECURITY_VERDICT_UNTRUSTED,
    N_("The signer’s certificate was not issued by an authority you trust.") },
  { "expired", CACHET_SECURITY_VERDICT_UNTRUSTED,
    N_("The signer’s certificate, or one of its authorities, has expired.") },
  { "not-yet-valid", CACHET_SECURITY_VERDICT_UNTRUSTED,
    N_("The signer’s certificate is not valid yet (or the computer’s clock is wrong).") },
  { "revoked", CACHET_SECURITY_VERDICT_UNTRUSTED,
    N_("The signer’s certificate was revoked.") },
  { "not-for-email", CACHET_SECURITY_VERDICT_UNTRUSTED,
    N_("The signer’s certificate is not meant for signing e-mail.") },
  { "certificate-invalid", CACHET_SECURITY_VERDICT_UNTRUSTED,
    N_("The signer’s certificate failed verification.") },
  { "address-mismatch", CACHET_SECURITY_VERDICT_OTHER_ADDRESS,
    N_("The message was signed by someone other than its sender.") },
  { "sender-ambiguous", CACHET_SECURITY_VERDICT_OTHER_ADDRESS,
    N_("The sender of the message is missing or ambiguous, so the signer cannot be matched to it.") },
  { "partly-signed", CACHET_SECURITY_VERDICT_PARTLY_SIGNED,
    N_("Only a part of the message is signed; the rest may have been added by anyone.") },
  { "encrypted", CACHET_SECURITY_VERDICT_UNSUPPORTED,
    N_("The message is encrypted: its signature, if it has one, is checked once it is decrypted.") },
  { "unsupported", CACHET_SECURITY_VERDICT_UNSUPPORTED,
    N_("The message is protected in a way Cachet cannot check.") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (reasons) == CACHET_SECURITY_REASON_UNSUPPORTED + 1);

typedef struct
{
  CachetSecurityReason  reason;
  char                 *text;
} Reason;

struct _CachetSecurityReport
{
  GObject parent_instance;

  gboolean is_signed;
  gboolean is_encrypted;
  GArray *reasons;
  CachetCertificate *signer;
  /* CachetCertificate items, from the signer up. */
  GListStore *chain;
  gboolean anchored;
  GDateTime *signing_time;
  char *sender;
  GMimeObject *content;
};

G_DEFINE_FINAL_TYPE (CachetSecurityReport, cachet_security_report, G_TYPE_OBJECT)

static void
clear_reason (gpointer data)
{
  Reason *reason = data;

  g_free (reason->text);
}

static void
cachet_security_report_dispose (GObject *object)
{
  CachetSecurityReport *self = CACHET_SECURITY_REPORT (object);

  g_clear_object (&self->signer);
  g_clear_object (&self->chain);
  g_clear_object (&self->content);

  G_OBJECT_CLASS (cachet_security_report_parent_class)->dispose (object);
}

static void
cachet_security_report_finalize (GObject *object)
{
  CachetSecurityReport *self = CACHET_SECURITY_REPORT (object);

  g_clear_pointer (&self->reasons, g_array_unref);
  g_clear_pointer (&self->signing_time, g_date_time_unref);
  g_clear_pointer (&self->sender, g_free);

  G_OBJECT_CLASS (cachet_security_report_parent_class)->finalize (object);
}

static void
cachet_security_report_class_init (CachetSecurityReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cachet_security_report_dispose;
  object_class->finalize = cachet_security_report_finalize;
}

static void
cachet_security_report_init (CachetSecurityReport *self)
{
  self->reasons = g_array_new (FALSE, FALSE, sizeof (Reason));
  g_array_set_clear_func (self->reasons, clear_reason);
  self->chain = g_list_store_new (CACHET_TYPE_CERTIFICATE);
}

/**
 * cachet_security_verdict_to_string:
 *
 * Returns: a stable machine name for @verdict, as `cachet-cli smime verify
 *   --json` prints it
 */
const char *
cachet_security_verdict_to_string (CachetSecurityVerdict verdict)
{
  switch (verdict)
    {
    case CACHET_SECURITY_VERDICT_NOT_SIGNED: return "not-signed";
    case CACHET_SECURITY_VERDICT_VALID: return "valid";
    case CACHET_SECURITY_VERDICT_UNTRUSTED: return "untrusted";
    case CACHET_SECURITY_VERDICT_OTHER_ADDRESS: return "other-address";
    case CACHET_SECURITY_VERDICT_PARTLY_SIGNED: return "partly-signed";
    case CACHET_SECURITY_VERDICT_UNSUPPORTED: return "unsupported";
    case CACHET_SECURITY_VERDICT_INVALID: return "invalid";
    case CACHET_SECURITY_VERDICT_UNREADABLE: return "unreadable";
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * cachet_security_verdict_describe:
 *
 * Returns: the verdict in words, translated
 */
const char *
cachet_security_verdict_describe (CachetSecurityVerdict verdict)
{
  switch (verdict)
    {
    case CACHET_SECURITY_VERDICT_NOT_SIGNED: return _("Not signed");
    case CACHET_SECURITY_VERDICT_VALID: return _("Signed by the sender");
    case CACHET_SECURITY_VERDICT_UNTRUSTED: return _("Signed, but by an untrusted certificate");
    case CACHET_SECURITY_VERDICT_OTHER_ADDRESS: return _("Signed, but not by the sender");
    case CACHET_SECURITY_VERDICT_PARTLY_SIGNED: return _("Only partly signed");
    case CACHET_SECURITY_VERDICT_UNSUPPORTED: return _("Protection not supported");
    case CACHET_SECURITY_VERDICT_INVALID: return _("Invalid signature");
    case CACHET_SECURITY_VERDICT_UNREADABLE: return _("Cannot read the signature");
    default: g_return_val_if_reached (NULL);
    }
}

const char *
cachet_security_reason_to_string (CachetSecurityReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (reasons), NULL);
  return reasons[reason].code;
}

CachetSecurityReport *
cachet_security_report_new (void)
{
  return g_object_new (CACHET_TYPE_SECURITY_REPORT, NULL);
}

/**
 * cachet_security_report_add_reason:
 * @reason: what is wrong
 * @detail: (nullable): the reason in words, translated, if more precise than
 *   the generic text of @reason
 */
void
cachet_security_report_add_reason (CachetSecurityReport *self,
                                   CachetSecurityReason  reason,
                                   const char           *detail)
{
  Reason entry;

  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  g_return_if_fail ((guint) reason < G_N_ELEMENTS (reasons));

  entry.reason = reason;
  entry.text = g_strdup (detail != NULL ? detail : _(reasons[reason].text));
  g_array_append_val (self->reasons, entry);
}

/**
 * cachet_security_report_get_verdict:
 *
 * Returns: the worst verdict any reason leads to; without reasons,
 *   %CACHET_SECURITY_VERDICT_VALID if a signature covers the whole message
 */
CachetSecurityVerdict
cachet_security_report_get_verdict (CachetSecurityReport *self)
{
  CachetSecurityVerdict verdict;

  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), CACHET_SECURITY_VERDICT_UNREADABLE);

  verdict = self->is_signed ? CACHET_SECURITY_VERDICT_VALID : CACHET_SECURITY_VERDICT_NOT_SIGNED;
  for (guint i = 0; i < self->reasons->len; i++)
    verdict = MAX (verdict, reasons[g_array_index (self->reasons, Reason, i).reason].verdict);

  return verdict;
}

/**
 * cachet_security_report_is_signed:
 *
 * Returns: whether the whole displayed message is covered by a signature;
 *   only with %CACHET_SECURITY_VERDICT_VALID is it shown as signed
 */
gboolean
cachet_security_report_is_signed (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), FALSE);
  return self->is_signed;
}

void
cachet_security_report_set_signed (CachetSecurityReport *self,
                                   gboolean              is_signed)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  self->is_signed = is_signed;
}

/**
 * cachet_security_report_is_encrypted:
 *
 * Returns: whether the message was encrypted at its root and decrypted; the
 *   verdict is then that of the decrypted content's signature
 */
gboolean
cachet_security_report_is_encrypted (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), FALSE);
  return self->is_encrypted;
}

void
cachet_security_report_set_encrypted (CachetSecurityReport *self,
                                      gboolean              is_encrypted)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  self->is_encrypted = is_encrypted;
}

gboolean
cachet_security_report_has_reason (CachetSecurityReport *self,
                                   CachetSecurityReason  reason)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), FALSE);

  for (guint i = 0; i < self->reasons->len; i++)
    {
      if (g_array_index (self->reasons, Reason, i).reason == reason)
        return TRUE;
    }
  return FALSE;
}

guint
cachet_security_report_get_n_reasons (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), 0);
  return self->reasons->len;
}

CachetSecurityReason
cachet_security_report_get_reason (CachetSecurityReport *self,
                                   guint                 index)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), CACHET_SECURITY_REASON_UNREADABLE);
  g_return_val_if_fail (index < self->reasons->len, CACHET_SECURITY_REASON_UNREADABLE);
  return g_array_index (self->reasons, Reason, index).reason;
}

/**
 * cachet_security_report_get_reason_text:
 *
 * Returns: the reason at @index in words, translated
 */
const char *
cachet_security_report_get_reason_text (CachetSecurityReport *self,
                                        guint                 index)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), NULL);
  g_return_val_if_fail (index < self->reasons->len, NULL);
  return g_array_index (self->reasons, Reason, index).text;
}

/**
 * cachet_security_report_get_signer:
 *
 * Returns: (transfer none) (nullable): the certificate that made the
 *   signature, once it was found; always shown with the verdict
 */
CachetCertificate *
cachet_security_report_get_signer (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), NULL);
  return self->signer;
}

void
cachet_security_report_set_signer (CachetSecurityReport *self,
                                   CachetCertificate    *signer)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  g_set_object (&self->signer, signer);
}

/**
 * cachet_security_report_get_chain:
 *
 * The certification path verification built: the signer's certificate,
 * then each authority that issued the one before, as far as it leads. It
 * ends at a trust anchor if cachet_security_report_is_anchored() says
 * so; otherwise at the last issuer the signature carried.
 *
 * Returns: (transfer none): a list of #CachetCertificate, empty until the
 *   signer is found
 */
GListModel *
cachet_security_report_get_chain (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), NULL);
  return G_LIST_MODEL (self->chain);
}

/**
 * cachet_security_report_is_anchored:
 *
 * Returns: whether the last certificate of the chain is one the user
 *   trusts (an anchor of the store or of the system); the chain may still
 *   fail, for instance if a certificate of it has expired
 */
gboolean
cachet_security_report_is_anchored (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), FALSE);
  return self->anchored;
}

/**
 * cachet_security_report_set_chain:
 * @chain: (element-type CachetCertificate): the signer's certificate first,
 *   then its issuers in order
 * @anchored: whether the last one is a trust anchor
 */
void
cachet_security_report_set_chain (CachetSecurityReport *self,
                                  GPtrArray            *chain,
                                  gboolean              anchored)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  g_return_if_fail (chain != NULL);

  g_list_store_splice (self->chain, 0, g_list_model_get_n_items (G_LIST_MODEL (self->chain)),
                       chain->pdata, chain->len);
  self->anchored = anchored && chain->len > 0;
}

/**
 * cachet_security_report_get_signing_time:
 *
 * Returns: (transfer none) (nullable): the signing time the signer claims,
 *   from the signed attributes
 */
GDateTime *
cachet_security_report_get_signing_time (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), NULL);
  return self->signing_time;
}

void
cachet_security_report_set_signing_time (CachetSecurityReport *self,
                                         GDateTime            *signing_time)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));

  g_clear_pointer (&self->signing_time, g_date_time_unref);
  if (signing_time != NULL)
    self->signing_time = g_date_time_ref (signing_time);
}

/**
 * cachet_security_report_get_sender:
 *
 * Returns: (nullable): the addr-spec of the single From address, if there is
 *   exactly one
 */
const char *
cachet_security_report_get_sender (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), NULL);
  return self->sender;
}

void
cachet_security_report_set_sender (CachetSecurityReport *self,
                                   const char           *sender)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  g_free (self->sender);
  self->sender = g_strdup (sender);
}

/**
 * cachet_security_report_get_content:
 *
 * Returns: (transfer none) (nullable): what the signature covers, and so what
 *   must be displayed: the first part of a multipart/signed, the content
 *   embedded in an opaque signature; %NULL when nothing is signed
 */
GMimeObject *
cachet_security_report_get_content (CachetSecurityReport *self)
{
  g_return_val_if_fail (CACHET_IS_SECURITY_REPORT (self), NULL);
  return self->content;
}

void
cachet_security_report_set_content (CachetSecurityReport *self,
                                    GMimeObject          *content)
{
  g_return_if_fail (CACHET_IS_SECURITY_REPORT (self));
  g_set_object (&self->content, content);
}
