/* cachet-security-report.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "cachet-certificate.h"

G_BEGIN_DECLS

/**
 * CachetSecurityVerdict:
 * @CACHET_SECURITY_VERDICT_NOT_SIGNED: the message carries no signature
 * @CACHET_SECURITY_VERDICT_VALID: the whole message is signed, the signature
 *   is valid, the signer is trusted for e-mail and is the sender
 * @CACHET_SECURITY_VERDICT_UNTRUSTED: the signature is valid but its
 *   certificate does not lead to a trusted authority, or cannot be used for
 *   e-mail now (expired, revoked, wrong purpose)
 * @CACHET_SECURITY_VERDICT_OTHER_ADDRESS: the signature is valid but the
 *   signer is not the single address of From
 * @CACHET_SECURITY_VERDICT_PARTLY_SIGNED: only a part of what is displayed is
 *   signed; it says nothing about the message
 * @CACHET_SECURITY_VERDICT_UNSUPPORTED: the message is protected in a way this
 *   version cannot check (encrypted, several signers…)
 * @CACHET_SECURITY_VERDICT_INVALID: the signature does not match the content:
 *   the message was changed, or the signature is forged
 * @CACHET_SECURITY_VERDICT_UNREADABLE: the signature cannot be read at all
 *
 * What the window shows of a message's S/MIME protection. Only
 * %CACHET_SECURITY_VERDICT_VALID may be shown as "signed"; the values are
 * ordered from best to worst after it.
 */
typedef enum
{
  CACHET_SECURITY_VERDICT_NOT_SIGNED,
  CACHET_SECURITY_VERDICT_VALID,
  CACHET_SECURITY_VERDICT_UNTRUSTED,
  CACHET_SECURITY_VERDICT_OTHER_ADDRESS,
  CACHET_SECURITY_VERDICT_PARTLY_SIGNED,
  CACHET_SECURITY_VERDICT_UNSUPPORTED,
  CACHET_SECURITY_VERDICT_INVALID,
  CACHET_SECURITY_VERDICT_UNREADABLE,
} CachetSecurityVerdict;

/**
 * CachetSecurityReason:
 * @CACHET_SECURITY_REASON_UNREADABLE: the signature cannot be decoded
 * @CACHET_SECURITY_REASON_NO_SIGNER: the signature has no signer
 * @CACHET_SECURITY_REASON_MULTIPLE_SIGNERS: more than one signer, which is
 *   refused rather than merged into one verdict
 * @CACHET_SECURITY_REASON_EMBEDDED_CONTENT: a detached signature also carries
 *   content of its own, which is never what is displayed
 * @CACHET_SECURITY_REASON_NO_CONTENT: an opaque signature carries no content
 * @CACHET_SECURITY_REASON_BAD_SIGNATURE: the signature does not match
 * @CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES: the signed attributes break
 *   RFC 5652 (missing or repeated content type or digest, protected
 *   attributes outside the signature)
 * @CACHET_SECURITY_REASON_INSECURE_ALGORITHM: the signature uses an
 *   algorithm that is no longer secure
 * @CACHET_SECURITY_REASON_SIGNER_UNKNOWN: the signer's certificate is not in
 *   the signature
 * @CACHET_SECURITY_REASON_SIGNER_AMBIGUOUS: two different certificates claim
 *   to be the signer's
 * @CACHET_SECURITY_REASON_UNTRUSTED: the signer's certificate does not lead to
 *   a trusted authority
 * @CACHET_SECURITY_REASON_EXPIRED: a certificate of the chain has expired
 * @CACHET_SECURITY_REASON_NOT_YET_VALID: a certificate is not valid yet
 * @CACHET_SECURITY_REASON_REVOKED: a certificate was revoked
 * @CACHET_SECURITY_REASON_NOT_FOR_EMAIL: the certificate may not sign e-mail
 *   (key usage or extended key usage)
 * @CACHET_SECURITY_REASON_CERTIFICATE_INVALID: the chain fails for another
 *   reason
 * @CACHET_SECURITY_REASON_ADDRESS_MISMATCH: the signer is not the sender
 * @CACHET_SECURITY_REASON_SENDER_AMBIGUOUS: From is missing, repeated, or
 *   holds other than exactly one address, or the headers are ambiguous
 * @CACHET_SECURITY_REASON_PARTLY_SIGNED: a signed part sits inside an
 *   unsigned message
 * @CACHET_SECURITY_REASON_ENCRYPTED: the message is encrypted
 * @CACHET_SECURITY_REASON_UNSUPPORTED: another protection this version cannot
 *   check
 *
 * Why a message got its verdict; a report lists every reason found.
 */
typedef enum
{
  CACHET_SECURITY_REASON_UNREADABLE,
  CACHET_SECURITY_REASON_NO_SIGNER,
  CACHET_SECURITY_REASON_MULTIPLE_SIGNERS,
  CACHET_SECURITY_REASON_EMBEDDED_CONTENT,
  CACHET_SECURITY_REASON_NO_CONTENT,
  CACHET_SECURITY_REASON_BAD_SIGNATURE,
  CACHET_SECURITY_REASON_BAD_SIGNED_ATTRIBUTES,
  CACHET_SECURITY_REASON_INSECURE_ALGORITHM,
  CACHET_SECURITY_REASON_SIGNER_UNKNOWN,
  CACHET_SECURITY_REASON_SIGNER_AMBIGUOUS,
  CACHET_SECURITY_REASON_UNTRUSTED,
  CACHET_SECURITY_REASON_EXPIRED,
  CACHET_SECURITY_REASON_NOT_YET_VALID,
  CACHET_SECURITY_REASON_REVOKED,
  CACHET_SECURITY_REASON_NOT_FOR_EMAIL,
  CACHET_SECURITY_REASON_CERTIFICATE_INVALID,
  CACHET_SECURITY_REASON_ADDRESS_MISMATCH,
  CACHET_SECURITY_REASON_SENDER_AMBIGUOUS,
  CACHET_SECURITY_REASON_PARTLY_SIGNED,
  CACHET_SECURITY_REASON_ENCRYPTED,
  CACHET_SECURITY_REASON_UNSUPPORTED,
} CachetSecurityReason;

#define CACHET_TYPE_SECURITY_REPORT (cachet_security_report_get_type ())

G_DECLARE_FINAL_TYPE (CachetSecurityReport, cachet_security_report, CACHET, SECURITY_REPORT, GObject)

const char            *cachet_security_verdict_to_string       (CachetSecurityVerdict  verdict);
const char            *cachet_security_verdict_describe        (CachetSecurityVerdict  verdict);
const char            *cachet_security_reason_to_string        (CachetSecurityReason   reason);

CachetSecurityReport  *cachet_security_report_new              (void);
void                   cachet_security_report_add_reason       (CachetSecurityReport  *self,
                                                                CachetSecurityReason   reason,
                                                                const char            *detail);
CachetSecurityVerdict  cachet_security_report_get_verdict      (CachetSecurityReport  *self);
gboolean               cachet_security_report_is_signed        (CachetSecurityReport  *self);
gboolean               cachet_security_report_has_reason       (CachetSecurityReport  *self,
                                                                CachetSecurityReason   reason);
guint                  cachet_security_report_get_n_reasons    (CachetSecurityReport  *self);
CachetSecurityReason   cachet_security_report_get_reason       (CachetSecurityReport  *self,
                                                                guint                  index);
const char            *cachet_security_report_get_reason_text  (CachetSecurityReport  *self,
                                                                guint                  index);
void                   cachet_security_report_set_signed       (CachetSecurityReport  *self,
                                                                gboolean               is_signed);
gboolean               cachet_security_report_is_encrypted     (CachetSecurityReport  *self);
void                   cachet_security_report_set_encrypted    (CachetSecurityReport  *self,
                                                                gboolean               is_encrypted);
CachetCertificate     *cachet_security_report_get_signer       (CachetSecurityReport  *self);
void                   cachet_security_report_set_signer       (CachetSecurityReport  *self,
                                                                CachetCertificate     *signer);
GListModel            *cachet_security_report_get_chain        (CachetSecurityReport  *self);
gboolean               cachet_security_report_is_anchored      (CachetSecurityReport  *self);
void                   cachet_security_report_set_chain        (CachetSecurityReport  *self,
                                                                GPtrArray             *chain,
                                                                gboolean               anchored);
GDateTime             *cachet_security_report_get_signing_time (CachetSecurityReport  *self);
void                   cachet_security_report_set_signing_time (CachetSecurityReport  *self,
                                                                GDateTime             *signing_time);
const char            *cachet_security_report_get_sender       (CachetSecurityReport  *self);
void                   cachet_security_report_set_sender       (CachetSecurityReport  *self,
                                                                const char            *sender);
GMimeObject           *cachet_security_report_get_content      (CachetSecurityReport  *self);
void                   cachet_security_report_set_content      (CachetSecurityReport  *self,
                                                                GMimeObject           *content);

G_END_DECLS
