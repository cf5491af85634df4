/* cachet-imap-response-private.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-imap-response.h"

G_BEGIN_DECLS

/* Shared by the parser, which builds responses, and the response accessors.
 * Everything a response holds lives in its arena, so that a response of a
 * million values costs a few large allocations rather than a million small
 * ones, and is freed without walking the tree. */

typedef struct _CachetImapArenaBlock CachetImapArenaBlock;

struct _CachetImapValue
{
  CachetImapValueType   type;
  guint                 n_children;
  /* ATOM, NUMBER, QUOTED, NIL: the text (NUL-terminated); LITERAL: the data of
   * @bytes, which is followed by a NUL; SECTION: the canonical key. */
  const char           *str;
  gsize                 length;
  /* NUMBER: the value; SECTION: the origin, if @has_origin. */
  guint64               number;
  gboolean              has_origin;
  gboolean              has_nul;
  GBytes               *bytes;
  CachetImapValue     **children;
};

struct _CachetImapResponse
{
  gatomicrefcount         ref_count;
  CachetImapResponseType  type;
  CachetImapStatus        status;
  CachetImapResponseCode  code;
  gboolean                has_number;
  guint64                 number;
  const char             *tag;
  const char             *name;
  const char             *code_name;
  const char             *code_text;
  CachetImapValue        *code_args;
  const char             *text;
  CachetImapValue        *data;

  CachetImapArenaBlock   *blocks;
  GPtrArray              *literals;
};

CachetImapResponse *_cachet_imap_response_new       (void);
gpointer            _cachet_imap_response_alloc     (CachetImapResponse *self,
                                                     gsize               size);
char               *_cachet_imap_response_strndup   (CachetImapResponse *self,
                                                     const char         *str,
                                                     gsize               length);
CachetImapValue    *_cachet_imap_response_new_value (CachetImapResponse *self,
                                                     CachetImapValueType type);
void                _cachet_imap_response_take_literal (CachetImapResponse *self,
                                                        CachetImapValue    *value,
                                                        GBytes             *bytes);

G_END_DECLS
