/* cachet-smtp-reply.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CACHET_SMTP_REPLY_MAX_LINE_LENGTH:
 *
 * The longest reply line accepted, without its CRLF: RFC 5321 §4.5.3.1.5
 * allows 512 octets with the code and the CRLF.
 */
#define CACHET_SMTP_REPLY_MAX_LINE_LENGTH 510

/**
 * CACHET_SMTP_REPLY_MAX_LINES:
 *
 * The most lines one reply may have. EHLO answers have a few dozen at most;
 * a server that sends more is flooding the client.
 */
#define CACHET_SMTP_REPLY_MAX_LINES 100

#define CACHET_TYPE_SMTP_REPLY (cachet_smtp_reply_get_type ())

typedef struct _CachetSmtpReply CachetSmtpReply;

GType                cachet_smtp_reply_get_type          (void) G_GNUC_CONST;
CachetSmtpReply     *cachet_smtp_reply_ref               (CachetSmtpReply *self);
void                 cachet_smtp_reply_unref             (CachetSmtpReply *self);
guint                cachet_smtp_reply_get_code          (CachetSmtpReply *self);
guint                cachet_smtp_reply_get_class         (CachetSmtpReply *self);
const char          *cachet_smtp_reply_get_enhanced_code (CachetSmtpReply *self);
const char * const  *cachet_smtp_reply_get_lines         (CachetSmtpReply *self);
const char          *cachet_smtp_reply_get_text          (CachetSmtpReply *self);
char                *cachet_smtp_reply_dup_queue_id      (CachetSmtpReply *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetSmtpReply, cachet_smtp_reply_unref)

typedef struct _CachetSmtpReplyParser CachetSmtpReplyParser;

CachetSmtpReplyParser *cachet_smtp_reply_parser_new                       (void);
void                   cachet_smtp_reply_parser_free                      (CachetSmtpReplyParser  *self);
void                   cachet_smtp_reply_parser_set_enhanced_status_codes (CachetSmtpReplyParser  *self,
                                                                           gboolean                enabled);
void                   cachet_smtp_reply_parser_reset                     (CachetSmtpReplyParser  *self);
gboolean               cachet_smtp_reply_parser_feed_line                 (CachetSmtpReplyParser  *self,
                                                                           const char             *line,
                                                                           gsize                   length,
                                                                           CachetSmtpReply       **reply,
                                                                           GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetSmtpReplyParser, cachet_smtp_reply_parser_free)

G_END_DECLS
