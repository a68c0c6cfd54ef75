#!/usr/bin/perl
# Lists a job's tasks through the real Perl SDK (a tasks-as-jobs test fixture): one JSON line, the items.
use strict;
use warnings;
use Arvados;
use JSON;

my ($job_uuid) = @ARGV;
my $arv = Arvados->new(apiVersion => 'v1');
my $list = $arv->{'job_tasks'}->{'list'}->execute(
    'filters' => [['job_uuid', '=', $job_uuid]],
    'order' => 'qsequence',
);
my @items = map { { 'uuid' => $_->{'uuid'}, 'sequence' => $_->{'sequence'} + 0, 'output' => $_->{'output'},
                    'success' => $_->{'success'} ? JSON::true : JSON::false } } @{$list->{'items'}};
print JSON->new->canonical->encode(\@items), "\n";
