/* cachet-imap-session-results.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CachetImapFetchItems:
 * @CACHET_IMAP_FETCH_UID: the UID, always fetched
 * @CACHET_IMAP_FETCH_FLAGS: the flags and keywords
 * @CACHET_IMAP_FETCH_INTERNALDATE: when the server received the message
 * @CACHET_IMAP_FETCH_SIZE: RFC822.SIZE
 * @CACHET_IMAP_FETCH_MODSEQ: the mod-sequence (CONDSTORE)
 * @CACHET_IMAP_FETCH_BODY: a body section (the whole message by default),
 *   fetched with BODY.PEEK so that `\Seen` is left alone
 *
 * What to fetch of each message, and what a #CachetImapFetchResult holds.
 */
typedef enum /*< flags >*/
{
  CACHET_IMAP_FETCH_UID = 0,
  CACHET_IMAP_FETCH_FLAGS = 1 << 0,
  CACHET_IMAP_FETCH_INTERNALDATE = 1 << 1,
  CACHET_IMAP_FETCH_SIZE = 1 << 2,
  CACHET_IMAP_FETCH_MODSEQ = 1 << 3,
  CACHET_IMAP_FETCH_BODY = 1 << 4,
} CachetImapFetchItems;

/**
 * CachetImapFetchResult:
 *
 * What a UID FETCH returned for one message. Reference counted; do not
 * change it once received.
 */
typedef struct _CachetImapFetchResult CachetImapFetchResult;

#define CACHET_TYPE_IMAP_FETCH_RESULT (cachet_imap_fetch_result_get_type ())

GType                  cachet_imap_fetch_result_get_type         (void) G_GNUC_CONST;
CachetImapFetchResult *cachet_imap_fetch_result_ref              (CachetImapFetchResult *self);
void                   cachet_imap_fetch_result_unref            (CachetImapFetchResult *self);
CachetImapFetchItems   cachet_imap_fetch_result_get_items        (CachetImapFetchResult *self);
guint32                cachet_imap_fetch_result_get_uid          (CachetImapFetchResult *self);
guint32                cachet_imap_fetch_result_get_sequence     (CachetImapFetchResult *self);
const char * const    *cachet_imap_fetch_result_get_flags        (CachetImapFetchResult *self);
gboolean               cachet_imap_fetch_result_has_flag         (CachetImapFetchResult *self,
                                                                  const char            *flag);
guint64                cachet_imap_fetch_result_get_modseq       (CachetImapFetchResult *self);
GDateTime             *cachet_imap_fetch_result_get_internaldate (CachetImapFetchResult *self);
guint64                cachet_imap_fetch_result_get_size         (CachetImapFetchResult *self);
GBytes                *cachet_imap_fetch_result_get_body         (CachetImapFetchResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapFetchResult, cachet_imap_fetch_result_unref)

/**
 * CachetImapFetchFunc:
 * @result: (transfer none): one message; take a reference to keep it
 * @user_data: the data given with the function
 *
 * Receives each message of a UID FETCH as soon as it has arrived, so that a
 * large batch never sits in memory at once.
 */
typedef void (*CachetImapFetchFunc) (CachetImapFetchResult *result,
                                     gpointer               user_data);

/**
 * CachetImapSelectResult:
 *
 * The state of a mailbox just selected or examined, and for a QRESYNC
 * selection what changed since the state the client knew.
 */
typedef struct _CachetImapSelectResult CachetImapSelectResult;

#define CACHET_TYPE_IMAP_SELECT_RESULT (cachet_imap_select_result_get_type ())

GType                   cachet_imap_select_result_get_type           (void) G_GNUC_CONST;
CachetImapSelectResult *cachet_imap_select_result_ref                (CachetImapSelectResult *self);
void                    cachet_imap_select_result_unref              (CachetImapSelectResult *self);
const char             *cachet_imap_select_result_get_mailbox        (CachetImapSelectResult *self);
gboolean                cachet_imap_select_result_is_read_only       (CachetImapSelectResult *self);
guint32                 cachet_imap_select_result_get_uidvalidity    (CachetImapSelectResult *self);
guint32                 cachet_imap_select_result_get_uidnext        (CachetImapSelectResult *self);
guint32                 cachet_imap_select_result_get_exists         (CachetImapSelectResult *self);
guint64                 cachet_imap_select_result_get_highest_modseq (CachetImapSelectResult *self);
const char * const     *cachet_imap_select_result_get_flags          (CachetImapSelectResult *self);

const char * const *cachet_imap_select_result_get_permanent_flags (CachetImapSelectResult *self);
GArray             *cachet_imap_select_result_get_vanished        (CachetImapSelectResult *self);
GPtrArray          *cachet_imap_select_result_get_changed         (CachetImapSelectResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapSelectResult, cachet_imap_select_result_unref)

/**
 * CachetImapCopyUid:
 *
 * Where copied or moved messages went (UIDPLUS COPYUID): the UIDs of the
 * source messages and of their copies, in matching order.
 */
typedef struct _CachetImapCopyUid CachetImapCopyUid;

#define CACHET_TYPE_IMAP_COPY_UID (cachet_imap_copy_uid_get_type ())

GType              cachet_imap_copy_uid_get_type             (void) G_GNUC_CONST;
CachetImapCopyUid *cachet_imap_copy_uid_ref                  (CachetImapCopyUid *self);
void               cachet_imap_copy_uid_unref                (CachetImapCopyUid *self);
guint32            cachet_imap_copy_uid_get_uidvalidity      (CachetImapCopyUid *self);
GArray            *cachet_imap_copy_uid_get_source_uids      (CachetImapCopyUid *self);
GArray            *cachet_imap_copy_uid_get_destination_uids (CachetImapCopyUid *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapCopyUid, cachet_imap_copy_uid_unref)

G_END_DECLS
