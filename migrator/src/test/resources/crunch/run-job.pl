#!/usr/bin/perl
# Runs one crunch script the way crunch-job (sdk/cli/bin/crunch-job of the 2019 Arvados, read in
# ../shared/peers/arvados-2019-08) did, through the real Perl SDK, against $ARVADOS_API_HOST. A test fixture of
# tasks-as-jobs: the calls, their parameters and their order are crunch-job's; what it left out is the
# machinery around them (slurm, docker, git, log collection, retries of a failed task).
#
#   run-job.pl JOB_UUID SCRIPT WORK_DIR
#
# Prints one JSON line: {"tasks": [{"uuid", "sequence", "success", "output"}...], "failed": N}.
use strict;
use warnings;
use Arvados;
use JSON;
use POSIX qw(strftime);

my ($job_uuid, $script, $work) = @ARGV;
die "usage: run-job.pl JOB_UUID SCRIPT WORK_DIR\n" unless defined $work;

my $arv = Arvados->new(apiVersion => 'v1');

# crunch-job: the first task of the job.
my $first_task = $arv->{'job_tasks'}->{'create'}->execute(job_task => {
    'job_uuid' => $job_uuid,
    'sequence' => 0,
    'qsequence' => 0,
    'parameters' => {},
});

my @todo = ($first_task);
my @done;
my $failed = 0;
while (@todo && !$failed) {
    # The lowest unfinished level runs first; a level's tasks may create the next level's.
    my ($level) = sort { $a <=> $b } map { $_->{'sequence'} } @todo;
    my @this_level = grep { $_->{'sequence'} == $level } @todo;
    @todo = grep { $_->{'sequence'} != $level } @todo;
    my @successful_task_uuids;
    foreach my $task (@this_level) {
        my $task_work = "$work/task-" . $task->{'uuid'};
        mkdir $task_work;
        $task->{'started_at'} = strftime "%Y-%m-%dT%H:%M:%SZ", gmtime(time);
        $task->save;
        local $ENV{'JOB_UUID'} = $job_uuid;
        local $ENV{'TASK_UUID'} = $task->{'uuid'};
        local $ENV{'TASK_SEQUENCE'} = $level;
        local $ENV{'JOB_WORK'} = $work;
        local $ENV{'TASK_WORK'} = $task_work;
        my $status = system('/usr/bin/python3', $script);
        $task->reload;
        my $task_success = $task->{'success'};
        if (!defined $task_success) {
            # crunch-job: the task never said how it went; it failed.
            print STDERR "task $task->{'uuid'} exited $status without recording success\n";
            $task->{'success'} = 0;
            $task->save;
            $task_success = 0;
        }
        $task->{'finished_at'} = strftime "%Y-%m-%dT%H:%M:%SZ", gmtime(time);
        $task->save;
        push @done, $task;
        if ($task_success) {
            push @successful_task_uuids, $task->{'uuid'};
        } else {
            $failed++;
        }
    }
    if (@successful_task_uuids) {
        # crunch-job: the tasks the finished ones created, a page at a time until an empty page.
        my $newtask_list = [];
        my $newtask_results;
        do {
            $newtask_results = $arv->{'job_tasks'}->{'list'}->execute(
                'filters' => [["created_by_job_task_uuid", "in", \@successful_task_uuids]],
                'order' => 'qsequence',
                'offset' => scalar(@$newtask_list),
            );
            push(@$newtask_list, @{$newtask_results->{'items'}});
        } while (@{$newtask_results->{'items'}});
        push @todo, @$newtask_list;
    }
}

my @tasks = map { {
    'uuid' => $_->{'uuid'},
    'sequence' => $_->{'sequence'} + 0,
    'success' => ($_->{'success'} ? JSON::true : JSON::false),
    'output' => $_->{'output'},
} } @done;
print JSON->new->canonical->encode({'tasks' => \@tasks, 'failed' => $failed}), "\n";
exit 0;
