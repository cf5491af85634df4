/* cachet-imap-mailbox.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CachetImapSpecialUse:
 * @CACHET_IMAP_SPECIAL_USE_NONE: an ordinary mailbox
 * @CACHET_IMAP_SPECIAL_USE_ALL: `\All`: every message of the account
 * @CACHET_IMAP_SPECIAL_USE_ARCHIVE: `\Archive`
 * @CACHET_IMAP_SPECIAL_USE_DRAFTS: `\Drafts`
 * @CACHET_IMAP_SPECIAL_USE_FLAGGED: `\Flagged`: a virtual mailbox of flagged
 *   messages
 * @CACHET_IMAP_SPECIAL_USE_JUNK: `\Junk`
 * @CACHET_IMAP_SPECIAL_USE_SENT: `\Sent`
 * @CACHET_IMAP_SPECIAL_USE_TRASH: `\Trash`
 *
 * What a mailbox is for, as RFC 6154 SPECIAL-USE attributes say.
 */
typedef enum
{
  CACHET_IMAP_SPECIAL_USE_NONE,
  CACHET_IMAP_SPECIAL_USE_ALL,
  CACHET_IMAP_SPECIAL_USE_ARCHIVE,
  CACHET_IMAP_SPECIAL_USE_DRAFTS,
  CACHET_IMAP_SPECIAL_USE_FLAGGED,
  CACHET_IMAP_SPECIAL_USE_JUNK,
  CACHET_IMAP_SPECIAL_USE_SENT,
  CACHET_IMAP_SPECIAL_USE_TRASH,
} CachetImapSpecialUse;

/**
 * CachetImapMailboxInfo:
 *
 * One mailbox of a LIST: its name, hierarchy and attributes. Immutable and
 * reference counted.
 */
typedef struct _CachetImapMailboxInfo CachetImapMailboxInfo;

#define CACHET_TYPE_IMAP_MAILBOX_INFO (cachet_imap_mailbox_info_get_type ())

GType                  cachet_imap_mailbox_info_get_type        (void) G_GNUC_CONST;
CachetImapMailboxInfo *cachet_imap_mailbox_info_new             (const char            *name,
                                                                 const char            *wire_name,
                                                                 char                   delimiter,
                                                                 const char * const    *attributes,
                                                                 gboolean               subscribed);
CachetImapMailboxInfo *cachet_imap_mailbox_info_ref             (CachetImapMailboxInfo *self);
void                   cachet_imap_mailbox_info_unref           (CachetImapMailboxInfo *self);
const char            *cachet_imap_mailbox_info_get_name        (CachetImapMailboxInfo *self);
const char            *cachet_imap_mailbox_info_get_wire_name   (CachetImapMailboxInfo *self);
char                   cachet_imap_mailbox_info_get_delimiter   (CachetImapMailboxInfo *self);
const char * const    *cachet_imap_mailbox_info_get_attributes  (CachetImapMailboxInfo *self);
gboolean               cachet_imap_mailbox_info_has_attribute   (CachetImapMailboxInfo *self,
                                                                 const char            *attribute);
CachetImapSpecialUse   cachet_imap_mailbox_info_get_special_use (CachetImapMailboxInfo *self);
gboolean               cachet_imap_mailbox_info_is_subscribed   (CachetImapMailboxInfo *self);
gboolean               cachet_imap_mailbox_info_is_selectable   (CachetImapMailboxInfo *self);

const char *cachet_imap_special_use_to_string (CachetImapSpecialUse special_use);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapMailboxInfo, cachet_imap_mailbox_info_unref)

/**
 * CachetImapStatusItems:
 * @CACHET_IMAP_STATUS_ITEM_NONE: nothing
 * @CACHET_IMAP_STATUS_ITEM_MESSAGES: MESSAGES
 * @CACHET_IMAP_STATUS_ITEM_UIDNEXT: UIDNEXT
 * @CACHET_IMAP_STATUS_ITEM_UIDVALIDITY: UIDVALIDITY
 * @CACHET_IMAP_STATUS_ITEM_UNSEEN: UNSEEN
 * @CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ: HIGHESTMODSEQ (CONDSTORE)
 *
 * Which items of a #CachetImapMailboxStatus the server gave.
 */
typedef enum /*< flags >*/
{
  CACHET_IMAP_STATUS_ITEM_NONE = 0,
  CACHET_IMAP_STATUS_ITEM_MESSAGES = 1 << 0,
  CACHET_IMAP_STATUS_ITEM_UIDNEXT = 1 << 1,
  CACHET_IMAP_STATUS_ITEM_UIDVALIDITY = 1 << 2,
  CACHET_IMAP_STATUS_ITEM_UNSEEN = 1 << 3,
  CACHET_IMAP_STATUS_ITEM_HIGHESTMODSEQ = 1 << 4,
} CachetImapStatusItems;

/**
 * CachetImapMailboxStatus:
 * @items: which of the other fields the server gave
 * @messages: how many messages the mailbox holds
 * @uidnext: the UID the next message will get
 * @uidvalidity: the UIDVALIDITY of the mailbox
 * @unseen: how many messages lack `\Seen`
 * @highest_modseq: the highest mod-sequence of the mailbox; 0 if it keeps
 *   none
 *
 * The answer to STATUS, for a mailbox that is not selected.
 */
typedef struct
{
  CachetImapStatusItems items;
  guint32               messages;
  guint32               uidnext;
  guint32               uidvalidity;
  guint32               unseen;
  guint64               highest_modseq;
} CachetImapMailboxStatus;

#define CACHET_TYPE_IMAP_MAILBOX_STATUS (cachet_imap_mailbox_status_get_type ())

GType                    cachet_imap_mailbox_status_get_type (void) G_GNUC_CONST;
CachetImapMailboxStatus *cachet_imap_mailbox_status_copy     (const CachetImapMailboxStatus *self);
void                     cachet_imap_mailbox_status_free     (CachetImapMailboxStatus       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachetImapMailboxStatus, cachet_imap_mailbox_status_free)

G_END_DECLS
