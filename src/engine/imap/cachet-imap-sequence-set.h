/* cachet-imap-sequence-set.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CachetImapRange:
 * @first: the first number of the range
 * @last: the last number of the range, never below @first
 *
 * An inclusive range of message sequence numbers or UIDs. A set such as
 * "1:1000000" stays one range: sets are never expanded, so that a short line
 * from the server cannot make us allocate one entry per number.
 */
typedef struct
{
  guint32 first;
  guint32 last;
} CachetImapRange;

GArray *cachet_imap_sequence_set_parse  (const char     *text,
                                         GError        **error);
char   *cachet_imap_sequence_set_format (const guint32  *numbers,
                                         gsize           n_numbers,
                                         GError        **error);

G_END_DECLS
