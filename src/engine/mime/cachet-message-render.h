/* cachet-message-render.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cachet-message-summary.h"
#include "cachet-mime.h"

G_BEGIN_DECLS

/**
 * CACHET_MESSAGE_RENDER_MAX_BODY:
 *
 * The most bytes of body (UTF-8, after decoding and charset conversion) a
 * render keeps; longer bodies are cut on a character boundary and flagged
 * with @body_truncated.
 */
#define CACHET_MESSAGE_RENDER_MAX_BODY (4 * 1024 * 1024)

/**
 * CACHET_MESSAGE_RENDER_MAX_FILE_NAME:
 *
 * The most bytes of a safe file name, extension included.
 */
#define CACHET_MESSAGE_RENDER_MAX_FILE_NAME 200

/**
 * CACHET_MESSAGE_RENDER_CONTENT_SECURITY_POLICY:
 *
 * The policy every HTML body is shown under: nothing is fetched but the
 * message's own images (cid:) and inline data: images; no script, frame,
 * plugin, font, form target or base URL. The viewer enforces it on its own;
 * cachet_message_render_get_html_document() also writes it into the document.
 */
#define CACHET_MESSAGE_RENDER_CONTENT_SECURITY_POLICY \
  "default-src 'none'; img-src cid: data:; style-src 'unsafe-inline'; " \
  "base-uri 'none'; form-action 'none'"

/**
 * CachetMessageBodyKind:
 * @CACHET_MESSAGE_BODY_NONE: the message has no text to show.
 * @CACHET_MESSAGE_BODY_TEXT: @body is plain text, never to be read as markup.
 * @CACHET_MESSAGE_BODY_HTML: @body is an HTML document.
 * @CACHET_MESSAGE_BODY_PROTECTED: the content is S/MIME (or PGP/MIME)
 *   enveloped or opaque-signed data, which only the S/MIME layer can open.
 *
 * What the body of a render holds.
 */
typedef enum
{
  CACHET_MESSAGE_BODY_NONE,
  CACHET_MESSAGE_BODY_TEXT,
  CACHET_MESSAGE_BODY_HTML,
  CACHET_MESSAGE_BODY_PROTECTED,
} CachetMessageBodyKind;

/**
 * CachetMessageInlinePart:
 * @content_id: the Content-ID, without angle brackets.
 * @content_type: "type/subtype" in lower case, always "image/…".
 * @data: the decoded content.
 *
 * An image the HTML body may show through a `cid:` URL (RFC 2392).
 */
typedef struct
{
  char   *content_id;
  char   *content_type;
  GBytes *data;
} CachetMessageInlinePart;

/**
 * CachetMessageAttachment:
 * @file_name: (nullable): a safe file name, see
 *   cachet_message_render_safe_file_name(), or %NULL when the part has none.
 * @content_type: "type/subtype" in lower case ASCII.
 * @size: the decoded size in bytes.
 * @part_index: the position of the part in cachet_mime_walk() order over the
 *   message's MIME tree, from 0: what finds the part again to save it.
 *
 * A part shown to the user as an attachment.
 */
typedef struct
{
  char    *file_name;
  char    *content_type;
  guint64  size;
  guint    part_index;
} CachetMessageAttachment;

/**
 * CachetMessageRender:
 * @from: (element-type CachetMessageAddress): every mailbox of From (more
 *   than one is suspicious and must be shown as such, never hidden).
 * @to: (element-type CachetMessageAddress): the To mailboxes.
 * @cc: (element-type CachetMessageAddress): the Cc mailboxes.
 * @subject: (nullable): the decoded Subject, one line.
 * @date: (nullable): the Date header.
 * @body_kind: what @body holds.
 * @body: the body, UTF-8 without NUL, never %NULL (empty unless @body_kind
 *   is %CACHET_MESSAGE_BODY_TEXT or %CACHET_MESSAGE_BODY_HTML).
 * @body_truncated: the body was longer than %CACHET_MESSAGE_RENDER_MAX_BODY.
 * @inline_parts: (element-type CachetMessageInlinePart): the images the HTML
 *   body may reference by `cid:`: only those of the multipart/related that
 *   holds the body, never a sibling's.
 * @attachments: (element-type CachetMessageAttachment): the other parts, in
 *   document order.
 * @issues: what makes the message look tampered with or ambiguous.
 *
 * What the message view shows of one message, extracted off the main thread.
 * Header strings are valid UTF-8 without control or format characters (no
 * bidirectional overrides) and bounded, whatever the input.
 */
typedef struct
{
  GPtrArray             *from;
  GPtrArray             *to;
  GPtrArray             *cc;
  char                  *subject;
  GDateTime             *date;
  CachetMessageBodyKind  body_kind;
  char                  *body;
  gboolean               body_truncated;
  GPtrArray             *inline_parts;
  GPtrArray             *attachments;
  CachetMimeIssues       issues;
} CachetMessageRender;

CachetMessageRender           *cachet_message_render_new_from_message (GMimeMessage              *message);
CachetMessageRender           *cachet_message_render_new_from_bytes   (GBytes                    *raw,
                                                                       GError                   **error);
void                           cachet_message_render_free             (CachetMessageRender       *render);

const CachetMessageInlinePart *cachet_message_render_lookup_cid       (const CachetMessageRender *render,
                                                                       const char                *uri);
char                          *cachet_message_render_get_html_document (const CachetMessageRender *render);

char                          *cachet_message_render_safe_file_name   (const char                *name);
gboolean                       cachet_message_render_link_can_open    (const char                *uri);

CachetMessageAttachment       *cachet_message_attachment_copy         (const CachetMessageAttachment *attachment);
void                           cachet_message_attachment_free         (CachetMessageAttachment  *attachment);

GBytes                        *cachet_message_render_extract_from_message (GMimeMessage                  *message,
                                                                           const CachetMessageAttachment *attachment,
                                                                           GError                       **error);
GBytes                        *cachet_message_render_extract_attachment  (GBytes                         *raw,
                                                                          const CachetMessageAttachment  *attachment,
                                                                          GError                        **error);
gboolean                       cachet_message_render_attachment_can_open (const char                     *file_name,
                                                                          GBytes                         *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetMessageRender, cachet_message_render_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetMessageAttachment, cachet_message_attachment_free)

G_END_DECLS
