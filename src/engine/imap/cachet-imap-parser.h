/* cachet-imap-parser.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cachet-imap-response.h"

G_BEGIN_DECLS

#define CACHET_IMAP_PARSER_DEFAULT_MAX_LINE_LENGTH  ((gsize) 1 << 20)
#define CACHET_IMAP_PARSER_DEFAULT_MAX_LITERAL_SIZE ((guint64) 256 << 20)
#define CACHET_IMAP_PARSER_DEFAULT_MAX_DEPTH        64
#define CACHET_IMAP_PARSER_DEFAULT_MAX_ELEMENTS     1000000

/**
 * CachetImapParserLimits:
 * @max_line_length: the most bytes one response may have outside its
 *   literals, line ends included (default 1 MiB; at most %G_MAXUINT / 2)
 * @max_literal_size: the largest literal accepted (default 256 MiB)
 * @max_depth: how deeply lists and sections may nest (default 64)
 * @max_elements: the most values one response may hold: atoms, numbers,
 *   strings, literals, NILs, lists and sections all count (default 1,000,000)
 *
 * Bounds on what a server can make the parser hold. Going past any of them
 * fails with %CACHET_IMAP_ERROR_LIMIT_EXCEEDED.
 */
typedef struct
{
  gsize   max_line_length;
  guint64 max_literal_size;
  guint   max_depth;
  guint   max_elements;
} CachetImapParserLimits;

#define CACHET_TYPE_IMAP_PARSER (cachet_imap_parser_get_type ())

G_DECLARE_FINAL_TYPE (CachetImapParser, cachet_imap_parser, CACHET, IMAP_PARSER, GObject)

void                cachet_imap_parser_limits_init       (CachetImapParserLimits       *limits);

CachetImapParser   *cachet_imap_parser_new               (const CachetImapParserLimits *limits);
void                cachet_imap_parser_get_limits        (CachetImapParser             *self,
                                                          CachetImapParserLimits       *limits);
void                cachet_imap_parser_set_limits        (CachetImapParser             *self,
                                                          const CachetImapParserLimits *limits);
gboolean            cachet_imap_parser_feed              (CachetImapParser             *self,
                                                          const guint8                 *data,
                                                          gsize                         length,
                                                          GError                      **error);
CachetImapResponse *cachet_imap_parser_next_response     (CachetImapParser             *self);
gboolean            cachet_imap_parser_has_pending_data  (CachetImapParser             *self);

G_END_DECLS
