/* cachet-imap-mailbox-map.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES:
 *
 * The most messages whose UIDs a session tracks in one mailbox: ten times
 * the largest mailbox a practice is expected to have. Past it (a server
 * claiming `* 4000000000 EXISTS`), only the count is kept and sequence
 * numbers are no longer turned into UIDs.
 */
#define CACHET_IMAP_MAILBOX_MAP_MAX_MESSAGES (1u << 20)

typedef struct _CachetImapMailboxMap CachetImapMailboxMap;

CachetImapMailboxMap *cachet_imap_mailbox_map_new         (void);
void                  cachet_imap_mailbox_map_free        (CachetImapMailboxMap *self);
void                  cachet_imap_mailbox_map_reset       (CachetImapMailboxMap *self,
                                                           guint32               count);
guint32               cachet_imap_mailbox_map_get_count   (CachetImapMailboxMap *self);
gboolean              cachet_imap_mailbox_map_is_tracking (CachetImapMailboxMap *self);
gboolean              cachet_imap_mailbox_map_is_complete (CachetImapMailboxMap *self);
void                  cachet_imap_mailbox_map_set_count   (CachetImapMailboxMap *self,
                                                           guint32               count);
guint32               cachet_imap_mailbox_map_get_uid     (CachetImapMailboxMap *self,
                                                           guint32               seq);
guint32               cachet_imap_mailbox_map_get_seq     (CachetImapMailboxMap *self,
                                                           guint32               uid);
gboolean              cachet_imap_mailbox_map_set_uid     (CachetImapMailboxMap *self,
                                                           guint32               seq,
                                                           guint32               uid);
gboolean              cachet_imap_mailbox_map_expunge     (CachetImapMailboxMap *self,
                                                           guint32               seq,
                                                           guint32              *uid);
guint32               cachet_imap_mailbox_map_remove_uids (CachetImapMailboxMap *self,
                                                           const GArray         *ranges);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapMailboxMap, cachet_imap_mailbox_map_free)

G_END_DECLS
