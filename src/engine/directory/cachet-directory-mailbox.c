/* cachet-directory-mailbox.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-directory-mailbox.h"

/* One MSSanté mailbox of a directory entry, immutable. */

struct _CachetDirectoryMailbox
{
  GObject                     parent_instance;

  char                       *address;
  CachetDirectoryMailboxType  type;
  char                       *organisation;
  char                       *service;
  char                       *street;
  char                       *postcode;
  char                       *city;
  char                       *department;
};

G_DEFINE_FINAL_TYPE (CachetDirectoryMailbox, cachet_directory_mailbox, G_TYPE_OBJECT)

static void
cachet_directory_mailbox_finalize (GObject *object)
{
  CachetDirectoryMailbox *self = CACHET_DIRECTORY_MAILBOX (object);

  g_free (self->address);
  g_free (self->organisation);
  g_free (self->service);
  g_free (self->street);
  g_free (self->postcode);
  g_free (self->city);
  g_free (self->department);

  G_OBJECT_CLASS (cachet_directory_mailbox_parent_class)->finalize (object);
}

static void
cachet_directory_mailbox_class_init (CachetDirectoryMailboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cachet_directory_mailbox_finalize;
}

static void
cachet_directory_mailbox_init (CachetDirectoryMailbox *self)
{
}

/**
 * cachet_directory_mailbox_new:
 * @address: the MSSanté address
 * @type: its type
 * @place: where it is
 *
 * Returns: (transfer full): a new #CachetDirectoryMailbox
 */
CachetDirectoryMailbox *
cachet_directory_mailbox_new (const char                        *address,
                              CachetDirectoryMailboxType         type,
                              const CachetDirectoryMailboxPlace *place)
{
  CachetDirectoryMailbox *self = g_object_new (CACHET_TYPE_DIRECTORY_MAILBOX, NULL);

  self->address = g_strdup (address);
  self->type = type;
  self->organisation = g_strdup (place->organisation);
  self->service = g_strdup (place->service);
  self->street = g_strdup (place->street);
  self->postcode = g_strdup (place->postcode);
  self->city = g_strdup (place->city);
  self->department = g_strdup (place->department);
  return self;
}

const char *
cachet_directory_mailbox_get_address (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->address;
}

CachetDirectoryMailboxType
cachet_directory_mailbox_get_mailbox_type (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), CACHET_DIRECTORY_MAILBOX_PERSONAL);
  return self->type;
}

const char *
cachet_directory_mailbox_get_organisation (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->organisation;
}

const char *
cachet_directory_mailbox_get_service (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->service;
}

const char *
cachet_directory_mailbox_get_street (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->street;
}

const char *
cachet_directory_mailbox_get_postcode (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->postcode;
}

const char *
cachet_directory_mailbox_get_city (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->city;
}

const char *
cachet_directory_mailbox_get_department (CachetDirectoryMailbox *self)
{
  g_return_val_if_fail (CACHET_IS_DIRECTORY_MAILBOX (self), NULL);
  return self->department;
}
